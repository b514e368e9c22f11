package dev.idsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsumerLagTest {

    /** As Micrometer exports the Kafka consumer's fetch-manager metrics on a service's /q/metrics. */
    private static final String METRICS = """
            # HELP kafka_consumer_fetch_manager_records_lag The latest lag of the partition
            # TYPE kafka_consumer_fetch_manager_records_lag gauge
            kafka_consumer_fetch_manager_records_lag{client_id="kafka-consumer-users",kafka_version="4.1.0",partition="0",topic="idsync.directory.users.v2"} 7.0
            kafka_consumer_fetch_manager_records_lag{client_id="kafka-consumer-users",kafka_version="4.1.0",partition="1",topic="idsync.directory.users.v2"} 5.0
            kafka_consumer_fetch_manager_records_lag{client_id="kafka-consumer-groups",kafka_version="4.1.0",partition="0",topic="idsync.directory.groups.v2"} 0.0
            kafka_consumer_fetch_manager_records_lag{client_id="kafka-consumer-groups",kafka_version="4.1.0",partition="1",topic="idsync.directory.groups.v2"} NaN
            # HELP kafka_consumer_fetch_manager_records_lag_max The max lag of the partition
            # TYPE kafka_consumer_fetch_manager_records_lag_max gauge
            kafka_consumer_fetch_manager_records_lag_max{client_id="kafka-consumer-users",kafka_version="4.1.0",partition="0",topic="idsync.directory.users.v2"} 900.0
            kafka_consumer_fetch_manager_records_lag_avg{client_id="kafka-consumer-users",kafka_version="4.1.0",partition="0",topic="idsync.directory.users.v2"} 450.0
            idsync_dead_letters_total{topic="idsync.directory.users.v2"} 3.0
            """;

    @Test
    void the_lag_is_summed_over_each_consumers_partitions_and_over_the_consumers_ignoring_max_avg_and_nan() {
        ConsumerLag lag = ConsumerLag.parse(METRICS);

        assertThat(lag.consumers()).extracting(ConsumerLag.Consumer::clientId)
                .containsExactly("kafka-consumer-groups", "kafka-consumer-users");
        assertThat(lag.consumers().get(1).lag()).isEqualTo(12);
        assertThat(lag.consumers().get(1).partitions()).isEqualTo(2);
        assertThat(lag.consumers().get(0).partitions()).as("a NaN partition has not fetched yet").isEqualTo(1);
        assertThat(lag.total()).isEqualTo(12);
        assertThat(lag.summary()).isEqualTo("12 records (groups 0 on idsync.directory.groups.v2; users 12 on "
                + "idsync.directory.users.v2)");
    }

    @Test
    void a_service_without_consumer_metrics_says_so_instead_of_showing_zero() {
        ConsumerLag lag = ConsumerLag.parse("# no kafka here\njvm_threads_live_threads 42.0\n");

        assertThat(lag.consumers()).isEmpty();
        assertThat(lag.summary()).isEqualTo("no consumer lag exported");
    }
}
