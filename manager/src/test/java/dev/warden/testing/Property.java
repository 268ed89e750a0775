package dev.warden.testing;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property-based testing harness: runs a check on many generated inputs from a fixed seed, so failures
 * are reproducible, and reports the trial's seed and input when a check fails.
 */
public final class Property {

    public static final long DEFAULT_SEED = 20261122L;

    private Property() {
    }

    public static <T> void forAll(int trials, Function<Random, T> generator, Consumer<T> check) {
        long seed = Long.getLong("warden.property.seed", DEFAULT_SEED);
        Random seeds = new Random(seed);
        for (int i = 0; i < trials; i++) {
            long trialSeed = seeds.nextLong();
            T input = generator.apply(new Random(trialSeed));
            try {
                check.accept(input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property failed on trial " + i + " (seed " + seed + ", trial seed "
                        + trialSeed + ") for input: " + input + "\n" + e.getMessage(), e);
            }
        }
    }
}
