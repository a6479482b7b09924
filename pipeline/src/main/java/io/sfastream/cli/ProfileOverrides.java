package io.sfastream.cli;

import io.sfastream.pipeline.config.ConfigException;
import io.sfastream.pipeline.config.PipelineConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one reading of the profile overrides every command takes: {@code --bootstrap-servers} and
 * repeated {@code --set KEY=VALUE}, applied to the profile and validated like it.
 */
final class ProfileOverrides {
    private ProfileOverrides() {}

    static PipelineConfig apply(PipelineConfig c, String bootstrapServers, List<String> sets) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            values.put("kafka.bootstrapServers", bootstrapServers);
        }
        for (String o : sets) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set takes KEY=VALUE, got '" + o + "'", List.of());
            }
            values.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        return values.isEmpty() ? c : c.with(values);
    }
}
