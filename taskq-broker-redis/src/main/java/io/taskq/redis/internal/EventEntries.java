package io.taskq.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.StreamMessage;
import io.taskq.Event;
import io.taskq.internal.Json;
import io.taskq.internal.JsonText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How events sit in the Redis stream, and what their positions say.
 *
 * <p>One stream entry holds a run of events as they were appended together: fields {@code n} (how many) and
 * {@code run} (see {@link #encode}). One entry per run instead of one per event is what keeps the stream cheap:
 * Redis's cost is per entry (a command, an ID, a trim check), and a busy worker tells four events per task. Within
 * a run, field names are written once and a value that repeats the event's id is written as a reference: encoding
 * the run is most of what events cost the JVM. Entries of the earlier run form (field {@code events}, a JSON array
 * of {@code {"type":..,"ts":<epoch ms>,"fields":{..}}}) and of the single-event form (fields {@code type},
 * {@code ts} and the event's fields, as a hand-written {@code XADD} would be) are read too.
 *
 * <p>A position is {@code <entryId>:<index>}, the index of the event within its entry; a bare {@code <entryId>}
 * means "after that whole entry". A malformed entry is skipped, a malformed event within an entry too; fields that
 * are not text are read as their JSON text, a timestamp that cannot be read as the epoch.
 */
final class EventEntries {
    private static final Logger log = LoggerFactory.getLogger(EventEntries.class);
    static final String F_COUNT = "n";
    static final String F_RUN = "run";
    /** The field of the earlier form of a run, a JSON array of whole events. */
    static final String F_EVENTS = "events";
    private static final Pattern POSITION = Pattern.compile("(\\d{1,19}-\\d{1,19})(?::(\\d{1,9}))?");

    private EventEntries() {
    }

    /**
     * A position taken apart.
     *
     * @param entryId the stream entry's id
     * @param index   the event's index within the entry; -1 for a bare entry id (after the whole entry)
     */
    record Position(String entryId, int index) {
        /** The position of one event. */
        static String of(String entryId, int index) {
            return entryId + ":" + index;
        }
    }

    /**
     * Reads a position.
     *
     * @throws IllegalArgumentException if it is not one of this stream's
     */
    static Position parse(String position) {
        Matcher m = POSITION.matcher(position);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a position of the Redis event stream: " + position
                    + " (expected <ms>-<seq>:<index>, as Event.position() gives)");
        }
        return new Position(m.group(1), m.group(2) == null ? -1 : Integer.parseInt(m.group(2)));
    }

    /**
     * The {@code run} field of an entry holding {@code events}: {@code {"keys":[..],"events":[[type, ts, k, v, ..]]}},
     * each event its type, its epoch milliseconds and its fields as pairs of a key's index in {@code keys} and a value
     * (a string, or the index of a key whose value in the same event it repeats, as {@code root_id} repeats the
     * {@code id} of a task that starts a workflow).
     */
    static String encode(List<Event> events) {
        RunWriter w = new RunWriter(events.size());
        for (int i = 0; i < events.size(); i++) {
            w.event(events.get(i), i == 0);
        }
        return w.result();
    }

    /**
     * Writes one run: the key table grows as names come, looked up by identity first (the names of taskq's own
     * events are the same constant strings in every event).
     */
    private static final class RunWriter implements BiConsumer<String, String> {
        private String[] keys = new String[32];
        private int keyCount;
        private final StringBuilder names = new StringBuilder(128);
        private final StringBuilder b;
        private String id;
        private int idKey;

        RunWriter(int events) {
            b = new StringBuilder(events * 160);
        }

        void event(Event e, boolean first) {
            b.append(first ? "[" : ",[");
            JsonText.string(b, e.type());
            b.append(',').append(e.timestamp().toEpochMilli());
            id = null;
            e.forEachField(this);
            b.append(']');
        }

        @Override
        public void accept(String name, String value) {
            int k = key(name);
            b.append(',').append(k).append(',');
            if (id != null && value.equals(id)) {
                b.append(idKey);
            } else {
                JsonText.string(b, value);
                if (id == null && name.equals(Event.F_ID)) {
                    id = value;
                    idKey = k;
                }
            }
        }

        private int key(String name) {
            for (int i = 0; i < keyCount; i++) {
                if (keys[i] == name) {
                    return i;
                }
            }
            for (int i = 0; i < keyCount; i++) {
                if (keys[i].equals(name)) {
                    return i;
                }
            }
            if (keyCount == keys.length) {
                keys = java.util.Arrays.copyOf(keys, keyCount * 2);
            }
            keys[keyCount] = name;
            names.append(keyCount == 0 ? "" : ",");
            JsonText.string(names, name);
            return keyCount++;
        }

        String result() {
            return new StringBuilder(names.length() + b.length() + 24).append("{\"keys\":[").append(names)
                    .append("],\"events\":[").append(b).append("]}").toString();
        }
    }

    /** The events of one entry, each at its position, in order; none if the entry cannot be read. */
    static List<Event> decode(StreamMessage<String, String> entry) {
        Map<String, String> body = entry.getBody();
        if (body == null) {
            return List.of();
        }
        String run = body.get(F_RUN);
        if (run != null) {
            return decodeRun(entry.getId(), run);
        }
        String packed = body.get(F_EVENTS);
        if (packed != null) {
            return decodePacked(entry.getId(), packed);
        }
        String type = body.get("type");
        if (type == null || type.isEmpty()) {
            log.debug("event stream entry {} is neither a run of events nor an event; skipped", entry.getId());
            return List.of();
        }
        Map<String, String> fields = new LinkedHashMap<>(body);
        fields.remove("type");
        Instant ts = epochMillis(fields.remove("ts"));
        return List.of(Event.of(type, ts, fields).at(Position.of(entry.getId(), 0)));
    }

    private static List<Event> decodeRun(String id, String run) {
        JsonNode root = readTree(id, run);
        JsonNode keys = root == null ? null : root.get("keys");
        JsonNode events = root == null ? null : root.get("events");
        if (keys == null || !keys.isArray() || events == null || !events.isArray()) {
            log.debug("event stream entry {} is not a run of events; skipped", id);
            return List.of();
        }
        List<Event> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Event e = eventOfRun(keys, events.get(i));
            if (e != null) {
                out.add(e.at(Position.of(id, i)));
            }
        }
        return out;
    }

    /** One event of a run: {@code [type, ts, k, v, ..]}; null if it has no type. */
    private static Event eventOfRun(JsonNode keys, JsonNode n) {
        if (!n.isArray() || n.size() < 2 || !n.get(0).isTextual() || n.get(0).asText().isEmpty()) {
            return null;
        }
        Instant at = n.get(1).canConvertToLong() ? Instant.ofEpochMilli(n.get(1).asLong()) : Instant.EPOCH;
        Map<String, String> fields = new LinkedHashMap<>();
        for (int j = 2; j + 1 < n.size(); j += 2) {
            String key = textAt(keys, n.get(j));
            JsonNode v = n.get(j + 1);
            String value = v.isTextual() ? v.asText() : v.isInt() ? fields.get(textAt(keys, v)) : null;
            if (key != null && value != null) {
                fields.put(key, value);
            }
        }
        return Event.of(n.get(0).asText(), at, fields);
    }

    /** The text at the index {@code k} holds, or null. */
    private static String textAt(JsonNode array, JsonNode k) {
        JsonNode v = k.isInt() ? array.get(k.asInt()) : null;
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static JsonNode readTree(String id, String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            log.debug("event stream entry {} cannot be read ({}); skipped", id, e.toString());
            return null;
        }
    }

    private static List<Event> decodePacked(String id, String packed) {
        JsonNode array = readTree(id, packed);
        if (array == null || !array.isArray()) {
            return List.of();
        }
        List<Event> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            Event e = event(array.get(i));
            if (e != null) {
                out.add(e.at(Position.of(id, i)));
            }
        }
        return out;
    }

    /** One event of a run, or null if it has no type. */
    private static Event event(JsonNode n) {
        JsonNode type = n.get("type");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
            return null;
        }
        JsonNode ts = n.get("ts");
        Instant at = ts != null && ts.canConvertToLong() ? Instant.ofEpochMilli(ts.asLong()) : Instant.EPOCH;
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode f = n.get("fields");
        if (f != null && f.isObject()) {
            for (Map.Entry<String, JsonNode> kv : f.properties()) {
                if (!kv.getValue().isNull()) {
                    fields.put(kv.getKey(), kv.getValue().isTextual() ? kv.getValue().asText()
                            : kv.getValue().toString());
                }
            }
        }
        return Event.of(type.asText(), at, fields);
    }

    private static Instant epochMillis(String ms) {
        try {
            return ms == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(ms.trim()));
        } catch (NumberFormatException e) {
            return Instant.EPOCH;
        }
    }
}
