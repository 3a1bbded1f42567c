package io.taskq.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Objects;

/**
 * The application's data, task arguments and results, to and from JSON, with the mapper the application chose
 * ({@code Taskq.Builder.objectMapper} or {@code jacksonModules}) or taskq's own ({@link Json#mapper()}). taskq's own
 * fields never go through it: the envelope, records and entries are written by {@link Envelope}, {@link JsonText}
 * and {@link Json#mapper()}, so a mapper that, say, names properties in snake case changes the arguments and
 * results and nothing else.
 *
 * <p>Every codec keeps taskq's guarantees whatever mapper it wraps: types come from the task method only (a
 * mapper with Jackson default typing is refused), JDK classes without a serializer are refused as "not data", and a
 * result must be exactly one JSON value. The application's mapper is copied, never changed.
 */
public final class DataCodec {
    private static final DataCodec DEFAULT = new DataCodec(Json.mapper());

    private final ObjectMapper mapper;
    /** Compact whatever the mapper's indentation: a result is stored, not read by people. */
    private final ObjectWriter writer;

    private DataCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.writer = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
    }

    /** taskq's own mapper: {@code java.time} as ISO-8601 text, records, POJOs, collections. */
    public static DataCodec defaults() {
        return DEFAULT;
    }

    /** taskq's own mapper with the given Jackson modules added (money types, Kotlin, custom codecs). */
    public static DataCodec withModules(List<? extends Module> modules) {
        if (modules.isEmpty()) {
            return DEFAULT;
        }
        ObjectMapper m = Json.mapper().copy();
        for (Module module : modules) {
            m.registerModule(Objects.requireNonNull(module, "module"));
        }
        return new DataCodec(m);
    }

    /**
     * A copy of the application's mapper (so later changes to it do not reach taskq, and taskq's guard does not
     * reach it), with taskq's "not data" guard added.
     *
     * @throws IllegalArgumentException if the mapper has Jackson default typing activated: it would let message
     *                                  data name the class to instantiate
     */
    public static DataCodec of(ObjectMapper applicationMapper) {
        Objects.requireNonNull(applicationMapper, "objectMapper");
        if (applicationMapper.getSerializationConfig().getDefaultTyper(null) != null
                || applicationMapper.getDeserializationConfig().getDefaultTyper(null) != null) {
            throw new IllegalArgumentException("the ObjectMapper given to taskq has Jackson default typing activated"
                    + " (activateDefaultTyping or enableDefaultTyping): taskq refuses it, since with it message data"
                    + " names the class to instantiate. Argument and result types come from the task method; pass"
                    + " a mapper without default typing (ObjectMapper.copy() then deactivateDefaultTyping())");
        }
        ObjectMapper m = applicationMapper.copy();
        m.registerModule(Json.notDataModule());
        return new DataCodec(m);
    }

    /** The mapper, for reading types and for callers that encode data themselves; do not reconfigure it. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** An argument as a JSON tree (the envelope holds trees and writes them with taskq's own mapper). */
    public JsonNode toTree(Object value) {
        return mapper.valueToTree(value);
    }

    /** A value (a result, a periodic task's arguments) as compact JSON text. */
    public String write(Object value) throws JsonProcessingException {
        return writer.writeValueAsString(value);
    }

    /** An argument from its JSON tree, as the task method's declared parameter type. */
    public Object read(JsonNode node, JavaType type) throws JsonProcessingException {
        return mapper.treeToValue(node, type);
    }

    /** A result from JSON text, which must be exactly one value (only whitespace may follow it). */
    public Object read(String json, JavaType type) throws JsonProcessingException {
        return mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(json);
    }
}
