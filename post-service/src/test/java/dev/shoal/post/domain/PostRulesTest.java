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
    }

    @Test
    void linksGoOnlyToPublicHttpHosts() {
        for (String url : new String[] {"javascript:alert(1)", "data:text/html,x", "file:///etc/passwd",
                "http://localhost/", "http://127.0.0.1/", "http://10.1.2.3/", "http://192.168.0.1/",
                "http://169.254.169.254/latest", "http://[::1]/", "http://2130706433/", "http://0x7f.1/",
                "http://printer.local/", "http://db.internal/", "http://100.64.0.1/", "http://[fd00::1]/",
                "http://nodots/"}) {
            assertThrows(Refused.class, () -> PostRules.check("t", null, url, null), url);
        }
        PostRules.check("t", null, "https://93.184.216.34/page", null);
        PostRules.check("t", null, "http://xn--bcher-kva.example/", null);
    }
}
