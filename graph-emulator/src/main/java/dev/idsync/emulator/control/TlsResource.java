package dev.idsync.emulator.control;

import dev.idsync.emulator.authority.HttpsAuthorityServer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Hands out the HTTPS authority's certificate, for clients that cannot read the exported files. */
@Path("/_emulator/tls")
@Tag(name = "TLS", description = "The HTTPS token authority's certificate.")
public class TlsResource {

    private final HttpsAuthorityServer https;

    public TlsResource(HttpsAuthorityServer https) {
        this.https = https;
    }

    @GET
    @Produces("application/json")
    @Operation(summary = "Where the authority's truststore and certificate are")
    @APIResponse(responseCode = "200", description = "Paths and the HTTPS port.")
    public Response info() {
        if (!https.running()) {
            return Problems.of(404, "Not Found", "the HTTPS authority is disabled");
        }
        return Response.ok(Map.of("authorityHost", https.authorityHost(), "port", https.port(),
                "truststorePath", https.truststorePath().toString(), "truststoreType", "PKCS12",
                "certificatePemPath", https.pemPath().toString())).build();
    }

    @GET
    @Path("truststore.p12")
    @Produces("application/x-pkcs12")
    @Operation(summary = "The truststore (PKCS#12)")
    @APIResponse(responseCode = "200", description = "The truststore.")
    public Response truststore() {
        byte[] bytes = https.truststoreBytes();
        return bytes == null ? Problems.of(404, "Not Found", "the HTTPS authority is disabled") : Response.ok(bytes).build();
    }

    @GET
    @Path("certificate.pem")
    @Produces("application/x-pem-file")
    @Operation(summary = "The certificate (PEM)")
    @APIResponse(responseCode = "200", description = "The certificate.")
    public Response certificate() {
        String pem = https.certificatePem();
        return pem == null ? Problems.of(404, "Not Found", "the HTTPS authority is disabled") : Response.ok(pem).build();
    }
}
