package dev.shoal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** docs/EVENTS.md is the catalogue people read; the sealed families are what the code writes. They must agree. */
class EventCatalogueTest {
    record Row(String type, String record, String topic, String key, List<String> fields) {
    }

    static Map<String, Row> catalogue() throws IOException {
        Map<String, Row> rows = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "EVENTS.md"))) {
            if (!line.startsWith("| `shoal.")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String type = strip(cells[1]);
            rows.put(type, new Row(type, strip(cells[2]), strip(cells[3]), strip(cells[4]),
                    Arrays.stream(cells[5].split(",")).map(EventCatalogueTest::strip).toList()));
        }
        return rows;
    }

    static String strip(String cell) {
        return cell.strip().replace("`", "");
    }

    @Test
    void everyTypeIsCataloguedWithItsRecordTopicKeyAndFields() throws Exception {
        Map<String, Row> rows = catalogue();
        assertEquals(EventTypes.current().keySet(), rows.keySet(), "catalogued types = registered types");
        for (Map.Entry<String, Class<? extends ShoalEvent>> type : EventTypes.current().entrySet()) {
            Class<? extends ShoalEvent> record = type.getValue();
            Row row = rows.get(type.getKey());
            assertEquals(record.getEnclosingClass().getSimpleName() + "." + record.getSimpleName(), row.record(),
                    type.getKey());
            List<String> fields = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
            assertEquals(fields, row.fields(), type.getKey() + " fields, in order");
            // Every UUID field gets its own value: the one the subject equals is the key.
            Map<String, UUID> uuids = new HashMap<>();
            ShoalEvent sample = instance(record, uuids);
            assertEquals(sample.topic().id(), row.topic(), type.getKey() + " topic");
            String key = uuids.entrySet().stream().filter(e -> e.getValue().toString().equals(sample.subject()))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            assertNotNull(key, type.getKey() + " is keyed by one of its ids");
            assertEquals(key, row.key(), type.getKey() + " key");
        }
    }

    static ShoalEvent instance(Class<? extends ShoalEvent> record, Map<String, UUID> uuids) throws Exception {
        RecordComponent[] components = record.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            types[i] = t;
            if (t == UUID.class) {
                UUID u = UUID.randomUUID();
                uuids.put(components[i].getName(), u);
                args[i] = u;
            } else if (t == int.class) {
                args[i] = 0;
            } else if (t == boolean.class) {
                args[i] = false;
            }
        }
        Constructor<? extends ShoalEvent> canonical = record.getDeclaredConstructor(types);
        return canonical.newInstance(args);
    }
}
