package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.taskq.Taskq;
import io.taskq.contract.Money;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The application's mapper: used for the data only, copied, guarded, refused with default typing. */
class DataCodecTest {
    record Order(String orderId, Money price) {
    }

    private static ObjectMapper moneyMapper() {
        return JsonMapper.builder().addModule(Money.module()).build();
    }

    @Test
    void aMapperWithDefaultTypingIsRefusedWithAReason() {
        ObjectMapper typed = moneyMapper();
        typed.activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
                ObjectMapper.DefaultTyping.NON_FINAL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Taskq.builder().objectMapper(typed).build());
        assertTrue(e.getMessage().contains("default typing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataCodec.of(typed));
    }

    @Test
    void objectMapperAndModulesTogetherAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Taskq.builder().objectMapper(moneyMapper()).jacksonModules(Money.module()).build());
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }

    @Test
    void platformBeansAreStillNotDataWithTheApplicationsMapper() {
        DataCodec codec = DataCodec.of(moneyMapper());
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> codec.write(Thread.currentThread()));
        assertTrue(e.getMessage().contains("java.lang.Thread is not data"), e.getMessage());
        IllegalArgumentException tree = assertThrows(IllegalArgumentException.class,
                () -> DataCodec.withModules(java.util.List.of(Money.module())).toTree(new Object[] {Thread.currentThread()}));
        assertTrue(tree.getMessage().contains("is not data"), tree.getMessage());
    }

    @Test
    void theApplicationsMapperIsCopiedNotChanged() throws Exception {
        ObjectMapper app = moneyMapper();
        DataCodec codec = DataCodec.of(app);
        // The guard went on taskq's copy only: the application's mapper still writes a thread as it did.
        assertFalse(app.getRegisteredModuleIds().contains("taskq-not-data"));
        app.registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
        assertThrows(Exception.class, () -> codec.write(Instant.EPOCH), "a later change does not reach taskq");
    }

    @Test
    void theMapperShapesTheDataAndNothingElse() throws Exception {
        ObjectMapper app = moneyMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
        DataCodec codec = DataCodec.of(app);
        assertEquals("{\"order_id\":\"o-1\",\"price\":\"12.34 EUR\"}",
                codec.write(new Order("o-1", Money.parse("12.34 EUR"))), "compact, in the mapper's naming");
        ArrayNode args = Json.mapper().createArrayNode().add(codec.toTree(new Order("o-1", Money.parse("1 EUR"))));
        String body = new Envelope("id-1", "t", "q", 4, args, null, null, 0, null, null, null, false, "me",
                Map.of("tenant_id", "x")).encode();
        assertTrue(body.startsWith("{\"v\":1,\"headers\":{\"lang\":\"java\",\"task\":\"t\",\"id\":\"id-1\","
                + "\"eta\":null,\"expires\":null,\"group\":null,\"retries\":0,\"timelimit\":[null,null],"
                + "\"root_id\":\"id-1\",\"parent_id\":null,"), body);
        assertTrue(body.endsWith("\"body\":[[{\"order_id\":\"o-1\",\"price\":\"1 EUR\"}],{},"
                + "{\"callbacks\":null,\"errbacks\":null,\"chain\":null,\"chord\":null}]}"), body);
        assertEquals(new Order("o-1", Money.parse("1 EUR")),
                codec.read(args.get(0), codec.mapper().constructType(Order.class)));
    }

    @Test
    void aResultIsExactlyOneValue() {
        DataCodec codec = DataCodec.of(moneyMapper());
        assertThrows(JsonProcessingException.class,
                () -> codec.read("\"1 EUR\" \"2 EUR\"", codec.mapper().constructType(Money.class)));
    }

    @Test
    void withoutConfigurationTheCodecIsTaskqsOwnMapper() {
        assertTrue(DataCodec.defaults().mapper() == Json.mapper());
        assertTrue(DataCodec.withModules(java.util.List.of()) == DataCodec.defaults());
    }
}
