package io.taskq.scheduler;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Validating {@link ScheduleSpec} to {@link Schedule} conversion. */
final class SpecReader {

    static final String CRON = "cron";
    static final String INTERVAL = "interval";
    static final String CLOCKED = "clocked";
    static final String SOLAR = "solar";

    private static final Map<String, List<String>> FIELDS_BY_KIND = Map.of(
            CRON, List.of("expression", "zone"),
            INTERVAL, List.of("every", "anchor"),
            CLOCKED, List.of("at"),
            SOLAR, List.of("event", "latitude", "longitude"));

    private SpecReader() {
    }

    static Schedule read(ScheduleSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String kind = spec.kind() == null ? null : spec.kind().trim();
        if (kind == null || kind.isEmpty()) {
            throw new IllegalArgumentException("schedule spec has no kind; expected one of cron, interval, clocked, solar");
        }
        List<String> allowed = FIELDS_BY_KIND.get(kind);
        if (allowed == null) {
            throw new IllegalArgumentException("unknown schedule kind '" + kind
                    + "'; expected one of cron, interval, clocked, solar");
        }
        // A stray field usually means a mistyped kind or a half-edited entry; applying the spec while
        // silently dropping it would fire on a schedule nobody asked for.
        fields(spec).forEach((name, value) -> {
            if (value != null && !allowed.contains(name)) {
                throw new IllegalArgumentException("field '" + name + "' is not used by " + kind
                        + " schedules (fields: " + String.join(", ", allowed) + ")");
            }
        });
        return switch (kind) {
            case CRON -> Schedule.cron(required(spec.expression(), kind, "expression"),
                    spec.zone() == null ? ZoneId.of("UTC") : zone(spec.zone()));
            case INTERVAL -> Schedule.every(duration(required(spec.every(), kind, "every")),
                    spec.anchor() == null ? Instant.EPOCH : instant(spec.anchor(), kind, "anchor"));
            case CLOCKED -> Schedule.clocked(instant(required(spec.at(), kind, "at"), kind, "at"));
            case SOLAR -> Schedule.solar(SolarEvent.fromSpecName(required(spec.event(), kind, "event")),
                    degrees(required(spec.latitude(), kind, "latitude"), "latitude"),
                    degrees(required(spec.longitude(), kind, "longitude"), "longitude"));
            default -> throw new AssertionError(kind);
        };
    }

    private static Map<String, String> fields(ScheduleSpec spec) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("expression", spec.expression());
        fields.put("zone", spec.zone());
        fields.put("every", spec.every());
        fields.put("anchor", spec.anchor());
        fields.put("at", spec.at());
        fields.put("event", spec.event());
        fields.put("latitude", spec.latitude());
        fields.put("longitude", spec.longitude());
        return fields;
    }

    private static String required(String value, String kind, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(kind + " schedule spec requires '" + field + "'");
        }
        return value.trim();
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + id + "' (use an IANA id such as Europe/London)", e);
        }
    }

    private static Duration duration(String text) {
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                return Duration.ofMillis(Long.parseLong(text));
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("interval 'every' must be an ISO-8601 duration such as PT15M "
                    + "or a number of milliseconds, got '" + text + "'", e);
        }
    }

    private static Instant instant(String text, String kind, String field) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(kind + " '" + field + "' must be an ISO-8601 instant such as "
                    + "2024-06-21T10:00:00Z, got '" + text + "'", e);
        }
    }

    private static double degrees(String text, String field) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("solar '" + field + "' must be a decimal number of degrees, got '"
                    + text + "'", e);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("solar '" + field + "' must be finite, got '" + text + "'");
        }
        return value;
    }
}
