package io.taskq.micrometer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Reads samples from a registry's Prometheus text output, as a Prometheus server would see them. */
final class Scrape {
    private final String text;

    private Scrape(String text) {
        this.text = text;
    }

    static Scrape of(PrometheusMeterRegistry registry) {
        return new Scrape(registry.scrape());
    }

    /** The value of the sample with exactly this name and labels ({@code name{a="x",b="y"}}), or null. */
    Double value(String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return null;
    }

    boolean has(String fragment) {
        return text.contains(fragment);
    }

    @Override
    public String toString() {
        return text;
    }
}
