package io.taskq.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount in a currency, written as JSON text {@code "12.34 EUR"} by {@link #module()} only: it has no bean
 * properties, so a mapper without the module writes it as {@code {}} and cannot read it back. The custom type of
 * the tests of {@code Taskq.Builder.objectMapper} and {@code jacksonModules}.
 */
public final class Money {
    private final BigDecimal amount;
    private final String currency;

    public Money(BigDecimal amount, String currency) {
        this.amount = Objects.requireNonNull(amount);
        this.currency = Objects.requireNonNull(currency);
    }

    /** Parses {@code "12.34 EUR"}. */
    public static Money parse(String text) {
        int space = text.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("not an amount and a currency: " + text);
        }
        return new Money(new BigDecimal(text.substring(0, space)), text.substring(space + 1));
    }

    /** The sum; both in the same currency. */
    public Money plus(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException(currency + " and " + other.currency);
        }
        return new Money(amount.add(other.amount), currency);
    }

    /** The Jackson module that writes and reads money as {@code "12.34 EUR"}. */
    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("money");
        m.addSerializer(Money.class, new StdSerializer<>(Money.class) {
            @Override
            public void serialize(Money value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.toString());
            }
        });
        m.addDeserializer(Money.class, new StdDeserializer<>(Money.class) {
            @Override
            public Money deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return parse(p.getValueAsString());
            }
        });
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Money m && amount.compareTo(m.amount) == 0 && currency.equals(m.currency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(amount.stripTrailingZeros(), currency);
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency;
    }
}
