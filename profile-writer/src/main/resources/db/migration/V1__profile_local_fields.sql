-- Fields that exist only in idsync and are never sent to Entra (reference 000).
create table local_profiles (
    tenant_id         text        not null,
    user_id           text        not null,
    employee_type     text,
    employment_status text,
    remote_work       boolean,
    gdpr_restricted   boolean     not null default false,
    gdpr_reason       text,
    entry_date        date,
    exit_date         date,
    version           bigint      not null default 1,
    updated_at        timestamptz not null default now(),
    updated_by        text,
    primary key (tenant_id, user_id),
    constraint gdpr_reason_required check (not gdpr_restricted or gdpr_reason is not null),
    constraint exit_not_before_entry check (exit_date is null or entry_date is null or exit_date >= entry_date)
);
