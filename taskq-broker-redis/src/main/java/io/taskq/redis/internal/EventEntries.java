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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How events sit in the Redis stream, and what their positions say.
 *
 * <p>One stream entry holds a run of events as they were appended together: fields {@code n} (how many) and
 * {@code events}, a JSON array of {@code {"type":..,"ts":<epoch ms>,"fields":{..}}}, each event's object as
 * {@link Event#toJson()} made it on the thread that told the event. One entry per run instead of one per event is
 * what keeps the stream cheap: Redis's cost is per entry (a command, an ID, a trim check), and a busy worker tells
 * four events per task. An entry of the single-event form (fields {@code type}, {@code ts} and the event's fields, as
 * a hand-written {@code XADD} would be) is read too.
 *
 * <p>A position is {@code <entryId>:<index>}, the index of the event within its entry; a bare {@code <entryId>}
 * means "after that whole entry". A malformed entry is skipped, a malformed event within an entry too; fields that
 * are not text are read as their JSON text, a timestamp that cannot be read as the epoch.
 */
final class EventEntries {
    private static final Logger log = LoggerFactory.getLogger(EventEntries.class);
    static final String F_COUNT = "n";
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

    /** The {@code events} field of an entry holding {@code events}: their JSON objects ({@link Event#toJson()}). */
    static String encode(List<Event> events) {
        int size = 2;
        for (Event e : events) {
            size += e.toJson().length() + 1;
        }
        StringBuilder b = new StringBuilder(size).append('[');
        for (int i = 0; i < events.size(); i++) {
            b.append(i == 0 ? "" : ",").append(events.get(i).toJson());
        }
        return b.append(']').toString();
    }

    /** The events of one entry, each at its position, in order; none if the entry cannot be read. */
    static List<Event> decode(StreamMessage<String, String> entry) {
        Map<String, String> body = entry.getBody();
        if (body == null) {
            return List.of();
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
