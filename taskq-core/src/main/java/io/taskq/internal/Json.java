package io.taskq.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The one Jackson configuration taskq uses for arguments, results and envelopes. Types always come from the
 * task method's declared signature: default typing is never enabled, so message data cannot choose a class.
 * Reading refuses anything but whitespace after the JSON value.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(notDataModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Text after the value is refused, not ignored: a message or record is exactly one JSON value, so
            // that nothing can hide behind one (whitespace may follow).
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /**
     * The shared mapper; thread-safe, do not reconfigure. taskq's own fields (envelope headers, records, dead
     * letters, schedule entries) are always written and read with it; the user's data (arguments and results) goes
     * through the {@link DataCodec} of the taskq, which is this mapper unless the application configured another.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The guard that refuses JDK classes without a serializer ("X is not data"), for every mapper taskq uses. */
    static SimpleModule notDataModule() {
        return new SimpleModule("taskq-not-data").setSerializerModifier(new PlatformBeansRefused());
    }

    /**
     * A JDK class that Jackson has no serializer for (a {@code Thread}, a {@code ClassLoader}, a socket) is not data:
     * written as a bean it becomes kilobytes of whatever its getters return, and can never be read back. Refuse it
     * with a reason instead. Application classes keep bean serialization.
     */
    private static final class PlatformBeansRefused extends BeanSerializerModifier {
        @Override
        public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription desc,
                                                  JsonSerializer<?> serializer) {
            Class<?> c = desc.getBeanClass();
            ClassLoader loader = c.getClassLoader();
            if (serializer instanceof BeanSerializerBase
                    && (loader == null || loader == ClassLoader.getPlatformClassLoader())) {
                return new NotData(c);
            }
            return serializer;
        }
    }

    private static final class NotData extends StdSerializer<Object> {
        NotData(Class<?> c) {
            super(c, false);
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            provider.reportBadDefinition(handledType(), handledType().getName() + " is not data: JSON could only"
                    + " hold the values of its getters, which cannot be read back; use a record, a POJO or a"
                    + " collection holding the values you need");
        }
    }
}
