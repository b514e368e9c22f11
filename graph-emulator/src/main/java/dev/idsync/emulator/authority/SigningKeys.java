package dev.idsync.emulator.authority;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.PublicKey;
import java.util.HexFormat;
import java.security.SecureRandom;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * The emulator's token signing key, generated at start and published in every tenant's JWKS.
 * A fresh key per start means tokens never outlive the emulator that issued them.
 */
@ApplicationScoped
public class SigningKeys {

    private final RsaJsonWebKey key;

    public SigningKeys() {
        try {
            key = RsaJwkGenerator.generateJwk(2048);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate the signing key", e);
        }
        byte[] kid = new byte[12];
        new SecureRandom().nextBytes(kid);
        key.setKeyId("emu-" + HexFormat.of().formatHex(kid));
        key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        key.setUse("sig");
    }

    public String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    public PublicKey publicKey() {
        return key.getPublicKey();
    }

    /** The JWKS document: {@code {"keys":[...]}} with the public key only. */
    public String jwksJson() {
        return "{\"keys\":[" + key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY) + "]}";
    }
}
