package dev.shoal.platform.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeyFileTest {
    @TempDir
    Path dir;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNewFileIsReadableByItsOwnerAloneAndWrapsWhatItUnwraps() throws Exception {
        Path file = dir.resolve("keys/service.kek");
        LocalKeyFile kek = LocalKeyFile.open(file, true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        byte[] dataKey = Aead.newKey().getEncoded();
        KeyEncryptionKey.Wrapped wrapped = kek.wrap(dataKey, bytes("agent-a:conversation-1"));
        assertEquals(kek.currentId(), wrapped.kekId());
        // the same file, opened again (a restart), unwraps it
        assertArrayEquals(dataKey, LocalKeyFile.open(file, false).unwrap(wrapped, bytes("agent-a:conversation-1")));
        // bound to its context: a wrapped key copied to another agent's row does not open
        assertThrows(GeneralSecurityException.class, () -> kek.unwrap(wrapped, bytes("agent-b:conversation-1")));
    }

    @Test
    void aMissingFileIsMadeOnlyWhenNothingWasWrappedAndAFileOthersReadIsRefused() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> LocalKeyFile.open(dir.resolve("gone.kek"), false));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        Path open = dir.resolve("open.kek");
        LocalKeyFile.open(open, true);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        IOException readable = assertThrows(IOException.class, () -> LocalKeyFile.open(open, false));
        assertTrue(readable.getMessage().contains("mode 600"), readable.getMessage());
    }

    @Test
    void keysWrappedByAnOlderKeyStillOpenAfterANewOneIsAdded() throws Exception {
        Path file = dir.resolve("rotating.kek");
        LocalKeyFile first = LocalKeyFile.open(file, true);
        byte[] dataKey = Aead.newKey().getEncoded();
        KeyEncryptionKey.Wrapped old = first.wrap(dataKey, bytes("ctx"));
        Files.writeString(file, "kek-next " + java.util.Base64.getEncoder().encodeToString(
                Aead.newKey().getEncoded()) + "\n", java.nio.file.StandardOpenOption.APPEND);
        LocalKeyFile both = LocalKeyFile.open(file, false);
        assertEquals("kek-next", both.currentId());
        assertArrayEquals(dataKey, both.unwrap(old, bytes("ctx")));
        assertEquals("kek-next", both.wrap(dataKey, bytes("ctx")).kekId());
    }

    @Test
    void aSealedTextOpensOnlyWithItsKeyAndWhereItWasSealedFor() throws Exception {
        SecretKey key = Aead.newKey();
        Aead.Sealed sealed = Aead.seal(key, bytes("marker-7f3a the plain text"), bytes("conversation-1:message-1"));
        assertTrue(!new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1).contains("marker-7f3a"));
        assertEquals("marker-7f3a the plain text", new String(Aead.open(key, sealed,
                bytes("conversation-1:message-1")), StandardCharsets.UTF_8));
        assertThrows(GeneralSecurityException.class, () -> Aead.open(key, sealed, bytes("conversation-2:message-1")));
        assertThrows(GeneralSecurityException.class, () -> Aead.open(Aead.newKey(), sealed,
                bytes("conversation-1:message-1")));
        byte[] altered = sealed.ciphertext().clone();
        altered[0] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> Aead.open(key, new Aead.Sealed(sealed.nonce(), altered),
                bytes("conversation-1:message-1")));
        // a fresh nonce each time: the same text seals differently
        assertTrue(!java.util.Arrays.equals(sealed.ciphertext(), Aead.seal(key, bytes("marker-7f3a the plain text"),
                bytes("conversation-1:message-1")).ciphertext()));
    }

    @Test
    void aRotationAddsAKeyThatWrapsFromThenOnAndRetiringLeavesOnlyIt() throws Exception {
        Path file = dir.resolve("rotate.kek");
        LocalKeyFile first = LocalKeyFile.open(file, true);
        byte[] dataKey = Aead.newKey().getEncoded();
        KeyEncryptionKey.Wrapped old = first.wrap(dataKey, bytes("ctx"));
        LocalKeyFile both = LocalKeyFile.addKey(file);
        assertTrue(!both.currentId().equals(first.currentId()));
        assertEquals(2, both.ids().size());
        KeyEncryptionKey.Wrapped again = both.wrap(both.unwrap(old, bytes("ctx")), bytes("ctx"));
        LocalKeyFile last = both.retireAllButCurrent(file);
        assertEquals(java.util.Set.of(both.currentId()), last.ids());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(dataKey, LocalKeyFile.open(file, false).unwrap(again, bytes("ctx")));
        assertThrows(GeneralSecurityException.class, () -> last.unwrap(old, bytes("ctx")), "the old key is gone");
        assertThrows(IOException.class, () -> first.retireAllButCurrent(file), "a stale view cannot retire keys");
    }

    @Test
    void paddingHidesALengthToItsBlockAndComesOffExactly() throws Exception {
        for (String text : new String[] {"", "hi", "x".repeat(255), "x".repeat(256), "ends in \u0400", "€€€"}) {
            byte[] plain = bytes(text);
            byte[] padded = Aead.pad(plain, 256);
            assertEquals(0, padded.length % 256, text);
            assertTrue(padded.length > plain.length);
            assertArrayEquals(plain, Aead.unpad(padded), text);
        }
        assertEquals(Aead.pad(bytes("short"), 256).length, Aead.pad(bytes("a little longer, still one block"), 256)
                .length, "two texts of one block cannot be told apart by length");
        assertThrows(GeneralSecurityException.class, () -> Aead.unpad(new byte[16]));
    }
}
