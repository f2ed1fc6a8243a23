package dev.shoal.post.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.shoal.events.PostEvent;
import dev.shoal.platform.decide.Refused;

class PostRulesTest {
    static String refusal(String title, String content, String url, String type) {
        return assertThrows(Refused.class, () -> PostRules.check(title, content, url, type)).refusal().message();
    }

    @Test
    void aPostHoldsATitleAndExactlyOneOfContentOrLink() {
        assertEquals(PostEvent.Kind.TEXT, PostRules.check("t", "c", null, null).postType());
        assertEquals(PostEvent.Kind.LINK, PostRules.check("t", null, "https://example.org/x", "link").postType());
        assertEquals("A post has exactly one of content or url", refusal("t", "c", "https://example.org", null));
        assertEquals("A post has exactly one of content or url", refusal("t", " ", null, null));
        assertEquals("title must be at most 300 characters", refusal("x".repeat(301), "c", null, null));
        assertEquals("content must be at most 40000 characters", refusal("t", "x".repeat(40_001), null, null));
        assertEquals("type link does not match the post", refusal("t", "c", null, "link"));
        assertEquals("title contains a text-direction control character (U+202E) at character 5",
                refusal("Free\u202Egnp.exe", "c", null, null));
    }

    @Test
    void linksGoOnlyToPublicHttpHosts() {
        for (String url : new String[] {"javascript:alert(1)", "data:text/html,x", "file:///etc/passwd",
                "http://localhost/", "http://127.0.0.1/", "http://10.1.2.3/", "http://192.168.0.1/",
                "http://169.254.169.254/latest", "http://[::1]/", "http://2130706433/", "http://0x7f.1/",
                "http://printer.local/", "http://db.internal/", "http://100.64.0.1/", "http://[fd00::1]/",
                "http://nodots/",
                // found by the security review: names and addresses in disguise
                "http://127.0.0.1.nip.io/", "http://10-0-0-1.sslip.io/", "http://anything.nip.io/",
                "http://localhost.localdomain/", "http://[::127.0.0.1]/", "http://[::ffff:127.0.0.1]/",
                "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::]/", "http://[2001:0:4136:e378::1]/",
                "http://198.18.0.1/", "http://198.19.255.1/", "http://240.0.0.1/", "http://255.255.255.255/",
                "http://[fe80::1%25eth0]/", "http://[::]/", "http://0.0.0.0/", "http://192.0.2.1/",
                "http://[2001:db8::1]/", "http://localtest.me/", "http://sub.localhost/", "http://x.home.arpa/",
                "http://1.0.0.127.in-addr.arpa/", "http://[64:ff9b:1::1]/", "http://[::8.8.8.8]/",
                "http://[3fff::1]/", "http://[2001:2::1]/", "http://1.10.0.0.1.wild.example.com/",
                "http://012.0.0.1/"}) {
            assertThrows(Refused.class, () -> PostRules.check("t", null, url, null), url);
        }
        PostRules.check("t", null, "https://93.184.216.34/page", null);
        PostRules.check("t", null, "http://xn--bcher-kva.org/", null);
        PostRules.check("t", null, "https://[2606:4700::1111]/", null);
        PostRules.check("t", null, "https://[64:ff9b::5db8:d822]/", null); // NAT64 of a public address
        PostRules.check("t", null, "https://release-1-2-3.example.com/notes", null);
        PostRules.check("t", null, "https://news.ycombinator.com/item?id=1", null);
    }
}
