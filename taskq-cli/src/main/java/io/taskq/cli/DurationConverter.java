package io.taskq.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads a duration option with {@link Formats#parseDuration}. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Formats.parseDuration(value);
    }
}
