package io.sfastream.pipeline.replay;

import io.sfastream.data.CifarBinaryReader;
import io.sfastream.data.DatasetException;
import io.sfastream.data.IdxDataset;
import io.sfastream.data.ImageFolderReader;
import io.sfastream.data.ImageSet;
import io.sfastream.data.UnavailableImageException;
import io.sfastream.data.protocol.LongTailProfile;
import io.sfastream.data.protocol.NoisyLabels;
import io.sfastream.data.webvision.ResizedCropTransform;
import io.sfastream.data.webvision.RgbImages;
import io.sfastream.data.webvision.WebVisionImages;
import io.sfastream.sfa.bench.SyntheticFeatures;
import io.sfastream.sfa.io.FeatureCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a dataset for {@code sfa replay} and applies the {@link ReplayProtocol}: every format the
 * command takes, with no Kafka in sight. Errors are {@link DatasetException}s naming the file.
 */
public final class ReplayInputs {
    /** The formats. */
    public enum Format {
        IDX,
        CIFAR10,
        CIFAR100,
        WEBVISION,
        FOLDER,
        FEATURES_CSV,
        SYNTHETIC;

        public static Format parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "unknown --dataset '"
                                + s
                                + "': idx, cifar10, cifar100, webvision, folder, features-csv or"
                                + " synthetic");
            }
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * What to read.
     *
     * @param dataPath folder or file (not used by synthetic)
     * @param name the dataset's name in the replay's name; null for the one the data implies
     * @param split train or test (idx, cifar, webvision)
     * @param imageSize side of the square images (folder, webvision)
     * @param channels 1 or 3 (folder, webvision)
     * @param numClasses webvision: the first C classes; features-csv: at least C classes;
     *     synthetic: C classes; 0 for the default
     * @param dimension synthetic: feature width
     * @param encoderName features: {@code LabelledEmbedding.encoderName}; null for the default
     */
    public record Spec(
            Format format,
            Path dataPath,
            String name,
            String split,
            int imageSize,
            int channels,
            ImageReplay.Encoding encoding,
            int numClasses,
            int dimension,
            String encoderName,
            int threads) {}

    /** A replay and what happened while reading it (skipped files, clipped classes). */
    public record Loaded(ReplaySource source, List<String> notes) {}

    private ReplayInputs() {}

    public static Loaded load(Spec spec, ReplayProtocol protocol) throws IOException {
        if (spec.format() != Format.SYNTHETIC) {
            if (spec.dataPath() == null) {
                throw new DatasetException(
                        "--data-path is required for " + spec.format().cliName());
            }
            if (!Files.exists(spec.dataPath())) {
                throw new DatasetException(
                        "--data-path " + spec.dataPath() + ": no such file or folder");
            }
            if (!Files.isReadable(spec.dataPath())) {
                throw new DatasetException("--data-path " + spec.dataPath() + ": not readable");
            }
        }
        boolean train = !"test".equals(spec.split());
        List<String> notes = new ArrayList<>();
        return switch (spec.format()) {
            case IDX ->
                    images(
                            IdxDataset.read(spec.dataPath(), spec.split(), spec.name()),
                            spec,
                            protocol,
                            true,
                            notes);
            case CIFAR10, CIFAR100 -> images(cifar(spec, train), spec, protocol, true, notes);
            case FOLDER -> {
                String name =
                        spec.name() != null
                                ? spec.name()
                                : spec.dataPath()
                                        .toAbsolutePath()
                                        .normalize()
                                        .getFileName()
                                        .toString();
                ImageFolderReader.Result r =
                        ImageFolderReader.read(
                                spec.dataPath(), name, spec.imageSize(), spec.channels());
                notes.addAll(r.skipped());
                yield images(r.images(), spec, protocol, true, notes);
            }
            case WEBVISION -> webvision(spec, protocol, train, notes);
            case FEATURES_CSV -> featuresCsv(spec, protocol, notes);
            case SYNTHETIC -> synthetic(spec, protocol, notes);
        };
    }

    private static ImageSet cifar(Spec spec, boolean train) throws DatasetException {
        boolean ten = spec.format() == Format.CIFAR10;
        Path p = spec.dataPath();
        ImageSet set;
        if (Files.isRegularFile(p)) {
            set =
                    CifarBinaryReader.readFile(
                            p,
                            ten ? 1 : 2,
                            ten ? 0 : 1,
                            ten
                                    ? CifarBinaryReader.CIFAR10_CLASS_NAMES
                                    : CifarBinaryReader.CIFAR100_FINE_CLASS_NAMES);
            String file = p.getFileName().toString();
            set = rename(set, file.endsWith(".bin") ? file.substring(0, file.length() - 4) : file);
        } else {
            set = ten ? CifarBinaryReader.cifar10(p, train) : CifarBinaryReader.cifar100(p, train);
        }
        return spec.name() != null ? rename(set, spec.name()) : set;
    }

    private static ImageSet rename(ImageSet s, String name) {
        return new ImageSet(
                name, s.width(), s.height(), s.channels(), s.pixels(), s.labels(), s.classNames());
    }

    private static Loaded images(
            ImageSet full,
            Spec spec,
            ReplayProtocol protocol,
            boolean truthKnown,
            List<String> notes)
            throws DatasetException {
        ReplayProtocol.Selection sel = protocol.select(full.labels(), full.numClasses());
        notes.addAll(sel.notes());
        ImageSet subset = full.subset(sel.kept());
        return new Loaded(
                image(full.name(), subset, spec, protocol, truthKnown), List.copyOf(notes));
    }

    private static ImageReplay image(
            String datasetName,
            ImageSet subset,
            Spec spec,
            ReplayProtocol protocol,
            boolean truthKnown)
            throws DatasetException {
        NoisyLabels noise = protocol.noise(subset.labels(), subset.numClasses(), null);
        ReplayDataset data =
                new ReplayDataset(
                        protocol.name(datasetName),
                        subset,
                        noise,
                        protocol.order(subset.size()),
                        protocol.seed());
        return new ImageReplay(data, truthKnown, spec.encoding());
    }

    /**
     * The long tail is drawn on the list's labels, then only the kept images are decoded (in
     * parallel) and resized; undecodable ones are left out before the noise is injected.
     */
    private static Loaded webvision(
            Spec spec, ReplayProtocol protocol, boolean train, List<String> notes)
            throws IOException {
        if (protocol.imbFile() != null || protocol.noiseFile() != null) {
            throw new IllegalArgumentException(
                    "--imb-file / --noise-file are the reference's CIFAR split files; not for webvision");
        }
        int classes =
                spec.numClasses() > 0 ? spec.numClasses() : WebVisionImages.MINI_WEBVISION_CLASSES;
        ResizedCropTransform t = ResizedCropTransform.reference();
        WebVisionImages list =
                train
                        ? WebVisionImages.train(spec.dataPath(), classes, t, false)
                        : WebVisionImages.validation(spec.dataPath(), classes, t, false);
        list.skipped().forEach(s -> notes.add(s.toString()));
        int[] labels = new int[list.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = list.label(i);
        }
        ReplayProtocol.Selection sel = protocol.select(labels, classes);
        notes.addAll(sel.notes());
        int[] kept = sel.kept();
        byte[][] pixels = new byte[kept.length][];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, spec.threads()));
        try {
            List<Future<byte[]>> jobs = new ArrayList<>();
            for (int i : kept) {
                jobs.add(
                        pool.submit(
                                () -> {
                                    try {
                                        return RgbImages.toBytes(
                                                RgbImages.resize(
                                                        list.decode(i),
                                                        spec.imageSize(),
                                                        spec.imageSize()),
                                                spec.channels());
                                    } catch (UnavailableImageException e) {
                                        synchronized (notes) {
                                            notes.add(list.path(i) + ": " + e.getMessage());
                                        }
                                        return null;
                                    }
                                }));
            }
            for (int j = 0; j < kept.length; j++) {
                pixels[j] = jobs.get(j).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while decoding " + spec.dataPath(), e);
        } catch (ExecutionException e) {
            throw new DatasetException(
                    spec.dataPath() + ": decoding failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<byte[]> px = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int j = 0; j < kept.length; j++) {
            if (pixels[j] != null) {
                px.add(pixels[j]);
                ys.add(labels[kept[j]]);
            }
        }
        if (px.isEmpty()) {
            throw new DatasetException(
                    spec.dataPath() + ": none of the kept images could be decoded");
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add(Integer.toString(k));
        }
        String name = spec.name() != null ? spec.name() : list.name();
        ImageSet subset =
                new ImageSet(
                        name,
                        spec.imageSize(),
                        spec.imageSize(),
                        spec.channels(),
                        px.toArray(new byte[0][]),
                        ys.stream().mapToInt(Integer::intValue).toArray(),
                        names);
        // training labels are web labels: their truth is unknown, so no trueLabel is sent
        return new Loaded(image(name, subset, spec, protocol, !train), List.copyOf(notes));
    }

    private static Loaded featuresCsv(Spec spec, ReplayProtocol protocol, List<String> notes)
            throws IOException {
        FeatureCsv.FeatureTable table = FeatureCsv.read(spec.dataPath());
        int classes = Math.max(Math.max(table.impliedClasses(), spec.numClasses()), 2);
        boolean hasTruth = table.trueLabels() != null;
        int[] truth = hasTruth ? table.trueLabels() : table.labels();
        ReplayProtocol.Selection sel = protocol.select(truth, classes);
        notes.addAll(sel.notes());
        int[] kept = sel.kept();
        int n = kept.length;
        List<String> ids = new ArrayList<>(n);
        float[][] features = new float[n][];
        int[] keptTruth = new int[n];
        int[] keptGiven = hasTruth ? new int[n] : null;
        double[] conf = table.confidences() == null ? null : new double[n];
        for (int j = 0; j < n; j++) {
            int i = kept[j];
            ids.add(table.ids().get(i));
            features[j] = table.features()[i];
            keptTruth[j] = truth[i];
            if (hasTruth) {
                keptGiven[j] = table.labels()[i];
            }
            if (conf != null) {
                conf[j] = table.confidences()[i];
            }
        }
        NoisyLabels noise = protocol.noise(keptTruth, classes, keptGiven);
        boolean truthKnown = hasTruth || protocol.noiseRatio() > 0 || protocol.noiseFile() != null;
        String file = spec.dataPath().getFileName().toString();
        String base =
                spec.name() != null
                        ? spec.name()
                        : file.toLowerCase(Locale.ROOT).endsWith(".csv")
                                ? file.substring(0, file.length() - 4)
                                : file;
        return new Loaded(
                new FeatureReplay(
                        protocol.name(base),
                        spec.encoderName() != null ? spec.encoderName() : base,
                        ids,
                        features,
                        truthKnown ? keptTruth : null,
                        noise,
                        conf,
                        numberNames(classes),
                        protocol),
                List.copyOf(notes));
    }

    /**
     * Synthetic features ({@link SyntheticFeatures}: unit class means, spread 3, common offset of
     * norm 2, as {@code sfa bench pipeline}) for the features topic, with the long tail {@code
     * int(nMax·ρ^(k/(C−1)))} (nMax = --max-per-class, 100 when 0) and the noise protocol.
     */
    private static Loaded synthetic(Spec spec, ReplayProtocol protocol, List<String> notes) {
        if (protocol.imbFile() != null || protocol.noiseFile() != null) {
            throw new IllegalArgumentException(
                    "--imb-file / --noise-file are not for synthetic data");
        }
        int classes = spec.numClasses() > 0 ? spec.numClasses() : 10;
        int dim = spec.dimension() > 0 ? spec.dimension() : 64;
        int nMax = protocol.maxPerClass() > 0 ? protocol.maxPerClass() : 100;
        int[] counts = LongTailProfile.exponential(nMax, protocol.imbalance(), classes);
        SyntheticFeatures f =
                SyntheticFeatures.generate(
                        counts,
                        dim,
                        3.0,
                        2.0,
                        protocol.noiseRatio(),
                        protocol.noiseMode(),
                        protocol.seed());
        String base =
                spec.name() != null
                        ? spec.name()
                        : "synthetic-c" + classes + "-d" + dim + "-n" + nMax;
        String name = protocol.name(base);
        List<String> ids = new ArrayList<>(f.size());
        for (int i = 0; i < f.size(); i++) {
            ids.add(name + "-" + i);
        }
        return new Loaded(
                new FeatureReplay(
                        name,
                        spec.encoderName() != null ? spec.encoderName() : "synthetic-d" + dim,
                        ids,
                        f.features(),
                        f.trueLabels(),
                        f.noise(),
                        null,
                        numberNames(classes),
                        protocol),
                List.copyOf(notes));
    }

    private static List<String> numberNames(int classes) {
        List<String> names = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            names.add(Integer.toString(k));
        }
        return names;
    }
}
