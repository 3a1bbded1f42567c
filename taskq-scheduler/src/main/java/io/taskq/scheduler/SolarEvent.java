package io.taskq.scheduler;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Solar events a {@link Schedule#solar(SolarEvent, double, double) solar schedule} can fire on; the
 * same nine events as Celery's {@code solar} schedule, with the same names in {@link #specName()}.
 *
 * <p>Dawn and dusk are the moments the sun's centre crosses -6° (civil), -12° (nautical) or -18°
 * (astronomical); sunrise and sunset are the upper limb crossing the horizon with standard refraction.
 */
public enum SolarEvent {
    /** The sun's upper limb appears at the horizon. */
    SUNRISE("sunrise"),
    /** The sun's upper limb disappears below the horizon. */
    SUNSET("sunset"),
    /** Morning, sun's centre at -18°. */
    DAWN_ASTRONOMICAL("dawn_astronomical"),
    /** Morning, sun's centre at -12°. */
    DAWN_NAUTICAL("dawn_nautical"),
    /** Morning, sun's centre at -6°. */
    DAWN_CIVIL("dawn_civil"),
    /** Evening, sun's centre at -18°. */
    DUSK_ASTRONOMICAL("dusk_astronomical"),
    /** Evening, sun's centre at -12°. */
    DUSK_NAUTICAL("dusk_nautical"),
    /** Evening, sun's centre at -6°. */
    DUSK_CIVIL("dusk_civil"),
    /** The sun crosses the local meridian; happens every day, also in polar day and night. */
    SOLAR_NOON("solar_noon");

    private final String specName;

    SolarEvent(String specName) {
        this.specName = specName;
    }

    /** The name used in {@link ScheduleSpec#event()}, e.g. {@code "dawn_civil"}. */
    public String specName() {
        return specName;
    }

    /**
     * Parses a spec name such as {@code "dusk_nautical"}; the constant name is accepted too, in any case.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static SolarEvent fromSpecName(String name) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (SolarEvent event : values()) {
                if (event.specName.equals(wanted)) {
                    return event;
                }
            }
        }
        throw new IllegalArgumentException("unknown solar event '" + name + "', expected one of "
                + Arrays.stream(values()).map(SolarEvent::specName).collect(Collectors.joining(", ")));
    }
}
