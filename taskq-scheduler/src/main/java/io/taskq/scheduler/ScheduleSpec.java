package io.taskq.scheduler;

/**
 * The stored, editable form of a {@link Schedule}: a kind plus plain string fields, so that it
 * serialises to flat JSON with any Jackson configuration and can be edited by hand at run time.
 * Fields a kind does not use must be null.
 *
 * <table>
 *   <caption>Fields per kind</caption>
 *   <tr><th>kind</th><th>fields</th><th>example</th></tr>
 *   <tr><td>{@code cron}</td><td>{@code expression}, {@code zone} (optional, default UTC)</td>
 *       <td>{@code {"kind":"cron","expression":"30 2 * * *","zone":"Europe/London"}}</td></tr>
 *   <tr><td>{@code interval}</td><td>{@code every} (ISO-8601 duration or milliseconds),
 *       {@code anchor} (optional ISO-8601 instant, default 1970-01-01T00:00:00Z)</td>
 *       <td>{@code {"kind":"interval","every":"PT15M","anchor":"2024-01-01T00:00:00Z"}}</td></tr>
 *   <tr><td>{@code clocked}</td><td>{@code at} (ISO-8601 instant)</td>
 *       <td>{@code {"kind":"clocked","at":"2024-06-21T10:00:00Z"}}</td></tr>
 *   <tr><td>{@code solar}</td><td>{@code event} (see {@link SolarEvent#specName()}), {@code latitude},
 *       {@code longitude} (decimal degrees)</td>
 *       <td>{@code {"kind":"solar","event":"sunset","latitude":"-37.81753","longitude":"144.96715"}}</td></tr>
 * </table>
 *
 * <p>A spec is only data; {@link Schedule#fromSpec(ScheduleSpec)} validates it.
 *
 * @param kind       {@code cron}, {@code interval}, {@code clocked} or {@code solar}
 * @param expression cron expression, 5 or 6 fields
 * @param zone       time zone id of a cron schedule, e.g. {@code Europe/London}
 * @param every      interval period, e.g. {@code PT15M} or {@code 900000}
 * @param anchor     an instant the interval fires at; fires are {@code anchor + k * every}, k &ge; 0
 * @param at         the instant a clocked schedule fires at
 * @param event      solar event name, e.g. {@code sunrise}
 * @param latitude   degrees north, -90 to 90
 * @param longitude  degrees east, -180 to 180
 */
public record ScheduleSpec(String kind, String expression, String zone, String every, String anchor,
                           String at, String event, String latitude, String longitude) {
}
