package dev.idsync.graph.delta;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import dev.idsync.graph.auth.CachingTokenCredential;
import java.util.concurrent.CompletableFuture;

/** Tokens for one scope (Graph's {@code <resource>/.default}) from the caching credential. */
public final class CredentialTokenSource implements AccessTokenSource {

    private final CachingTokenCredential credential;
    private final TokenRequestContext request;

    public CredentialTokenSource(CachingTokenCredential credential, String scope) {
        this.credential = credential;
        this.request = new TokenRequestContext().addScopes(scope);
    }

    @Override
    public CompletableFuture<String> token() {
        return credential.getToken(request).map(AccessToken::getToken).toFuture();
    }

    @Override
    public void invalidate() {
        credential.invalidate();
    }
}
