package io.sfastream.sfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The streaming face's state is plain data that Flink holds with its POJO serializer, never Kryo:
 * every class is a {@link PojoTypeInfo}, a serializer can be built with generic types disabled, and
 * a populated mid-epoch state survives a serialize/deserialize round trip and then behaves exactly
 * like the original.
 */
class SfaStateFlinkSerializationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SerializerConfigImpl noKryo() {
        SerializerConfigImpl c = new SerializerConfigImpl();
        c.setGenericTypes(false);
        return c;
    }

    @Test
    void everyStateClassIsAPojo() {
        for (Class<?> c :
                List.of(
                        SfaClassState.class,
                        CentroidMoments.class,
                        ScoreReservoir.class,
                        ClassSelectionModel.class,
                        ClassCentroidBank.class)) {
            assertThat(TypeInformation.of(c))
                    .as(c.getSimpleName())
                    .isInstanceOf(PojoTypeInfo.class);
            TypeInformation.of(c).createSerializer(noKryo()); // throws if any field would need Kryo
        }
    }

    @Test
    void midEpochStateRoundTripsAndContinuesIdentically() throws Exception {
        SfaStreamingScorer scorer =
                new SfaStreamingScorer(
                        SfaParams.builder(2)
                                .warmUpEpochs(1)
                                .momentMode(MomentMode.REFERENCE_FAITHFUL)
                                .minSampledCount(10)
                                .build());
        SfaClassState state = scorer.newState(1, 0);
        Random r = new Random(5);
        for (int epoch = 1; epoch <= 4; epoch++) {
            for (int t = 0; t < 60; t++) {
                scorer.observe(state, sample(r), null, r.nextDouble(), epoch);
            }
        }
        assertThat(state.selection).isNotNull();
        assertThat(state.sampled).isTrue();

        TypeSerializer<SfaClassState> serializer =
                TypeInformation.of(SfaClassState.class).createSerializer(noKryo());
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(state, out);
        SfaClassState restored =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(JSON.writeValueAsString(restored)).isEqualTo(JSON.writeValueAsString(state));
        assertThat(JSON.writeValueAsString(serializer.copy(state)))
                .isEqualTo(JSON.writeValueAsString(state));

        Random a = new Random(9);
        Random b = new Random(9);
        for (int epoch = 4; epoch <= 6; epoch++) {
            for (int t = 0; t < 60; t++) {
                SfaVerdict va = scorer.observe(state, sample(a), null, a.nextDouble(), epoch);
                SfaVerdict vb = scorer.observe(restored, sample(b), null, b.nextDouble(), epoch);
                assertThat(vb).isEqualTo(va);
            }
        }
        assertThat(JSON.writeValueAsString(restored)).isEqualTo(JSON.writeValueAsString(state));
    }

    private static float[] sample(Random r) {
        float[] f = new float[8];
        boolean far = r.nextDouble() < 0.3;
        for (int j = 0; j < f.length; j++) {
            f[j] = (float) ((j == 0 ? (far ? -1 : 2) : 0) + r.nextGaussian());
        }
        return f;
    }
}
