package io.sfastream.train.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnlabelledLoaderTest {

    private static UnlabelledLoader loader(int n, int batch) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = 100 + i;
        }
        return new UnlabelledLoader(rows, batch, p -> RunRandom.of(7, 3, 0, 4, p));
    }

    @Test
    void aPassEndsWithAShortBatchAndTheNextPassStartsFull() {
        // 10 rows, B = 4: the reference's DataLoader gives 4, 4, 2, then a new pass 4, 4, 2
        UnlabelledLoader u = loader(10, 4);
        List<int[]> batches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batches.add(u.next());
        }
        assertThat(batches).extracting(b -> b.length).containsExactly(4, 4, 2, 4, 4, 2);
        Set<Integer> first = new HashSet<>();
        Set<Integer> second = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            for (int r : batches.get(i)) {
                first.add(r);
            }
            for (int r : batches.get(i + 3)) {
                second.add(r);
            }
        }
        // each pass is every row exactly once, never rows of two passes in one batch
        assertThat(first).hasSize(10);
        assertThat(second).isEqualTo(first);
        assertThat(u.pass()).isEqualTo(1);
    }

    @Test
    void everyPassIsAFreshSeededPermutation() {
        UnlabelledLoader a = loader(50, 50);
        UnlabelledLoader b = loader(50, 50);
        int[] a1 = a.next();
        int[] a2 = a.next();
        assertThat(a1).isNotEqualTo(a2).containsExactlyInAnyOrder(a2);
        assertThat(b.next()).isEqualTo(a1);
    }

    @Test
    void noRowsGiveEmptyBatches() {
        UnlabelledLoader u = loader(0, 4);
        assertThat(u.isEmpty()).isTrue();
        assertThat(u.next()).isEmpty();
    }
}
