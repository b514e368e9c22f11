package dev.idsync.emulator.delta;

import dev.idsync.emulator.directory.ObjectKind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Turns cursors into the opaque {@code $deltatoken}/{@code $skiptoken} strings Graph clients store and back.
 * Clients must not interpret tokens; a version prefix lets the format change without misreading old ones.
 */
public final class DeltaCursorCodec {

    private static final String VERSION = "e1";

    private DeltaCursorCodec() {
    }

    public static String encode(DeltaCursor c) {
        String plain = String.join("|", VERSION, c.tenantId(), c.kind().name(), c.phase().name(),
                Integer.toString(c.generation()), Long.toString(c.issuedAtMillis()), Long.toString(c.selectMask()),
                c.members() ? "1" : "0", Long.toString(c.fromSeq()), Long.toString(c.toSeq()),
                Integer.toString(c.bound()), Integer.toString(c.after()), Integer.toString(c.pending()),
                Integer.toString(c.memberAfter()), Integer.toString(c.position()),
                Integer.toString(c.memberPosition()), Integer.toString(c.pageSize()),
                Integer.toString(c.pageNumber()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the token was not issued by this emulator */
    public static DeltaCursor decode(String token) {
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a token of this emulator", e);
        }
        String[] f = plain.split("\\|", -1);
        if (f.length != 18 || !VERSION.equals(f[0])) {
            throw new IllegalArgumentException("not a token of this emulator");
        }
        try {
            return new DeltaCursor(f[1], ObjectKind.valueOf(f[2]), DeltaPhase.valueOf(f[3]), Integer.parseInt(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), "1".equals(f[7]), Long.parseLong(f[8]),
                    Long.parseLong(f[9]), Integer.parseInt(f[10]), Integer.parseInt(f[11]), Integer.parseInt(f[12]),
                    Integer.parseInt(f[13]), Integer.parseInt(f[14]), Integer.parseInt(f[15]),
                    Integer.parseInt(f[16]), Integer.parseInt(f[17]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a token of this emulator", e);
        }
    }
}
