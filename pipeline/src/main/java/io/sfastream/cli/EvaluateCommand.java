package io.sfastream.cli;

import io.sfastream.data.CifarBinaryReader;
import io.sfastream.data.FashionMnist;
import io.sfastream.data.IdxDataset;
import io.sfastream.data.ImageSet;
import io.sfastream.nn.DjlRuntime;
import io.sfastream.pipeline.config.ConfigException;
import io.sfastream.pipeline.config.PipelineConfig;
import io.sfastream.pipeline.eval.ClassStatsRow;
import io.sfastream.pipeline.eval.EvaluationCsv;
import io.sfastream.pipeline.eval.ModelAccuracy;
import io.sfastream.pipeline.eval.NoiseEvaluation;
import io.sfastream.pipeline.eval.ScoreRow;
import io.sfastream.pipeline.local.TopicReader;
import io.sfastream.pipeline.report.EvaluationReport;
import io.sfastream.pipeline.report.LabelIssues;
import io.sfastream.schemas.ClassEpochStats;
import io.sfastream.schemas.Image;
import io.sfastream.schemas.LabelledSample;
import io.sfastream.schemas.NoiseScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Evaluates what a run found: reads its committed noise scores and class statistics (from the
 * topics, read_committed, or from CSV files), computes detection quality overall, per shot group,
 * per class and per virtual epoch beside the baselines, and writes a Markdown report with plots, a
 * CSV of every number, and on request the ranked suspected label errors with their images.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description =
                "Evaluate a run's noise scores against the truth a replay carried (trueLabel):"
                        + " AUROC, average precision, precision/recall/F1 of the flag, estimated vs"
                        + " true noise rates, overall, per shot group, per class and per virtual"
                        + " epoch, beside the centroid baseline (--compare), DivideMix's small-loss"
                        + " rule and confident learning; writes report.md, PNG plots and"
                        + " metrics.csv into --out.")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            description =
                    "The run's profile: topics, broker, model store and prefix (default: built-in"
                            + " defaults).")
    Path config;

    @Option(
            names = {"-s", "--set"},
            paramLabel = "KEY=VALUE",
            description = "Override one setting of the profile (repeatable).")
    List<String> overrides = List.of();

    @Option(names = "--bootstrap-servers", description = "Override kafka.bootstrapServers.")
    String bootstrapServers;

    @Option(
            names = "--scores",
            description =
                    "Read the scores from this CSV (as evaluate writes it: scores.csv) instead of"
                            + " the scores topic.")
    Path scoresFile;

    @Option(
            names = "--class-stats",
            description =
                    "Read the class statistics from this CSV (class-stats.csv) instead of the topic.")
    Path classStatsFile;

    @Option(
            names = "--compare",
            paramLabel = "NAME=TOPIC|FILE.csv",
            description =
                    "Another run on the same stream to put beside this one, e.g. --compare"
                            + " \"centroid baseline=noise-scores-baseline\" (repeatable).")
    List<String> compare = List.of();

    @Option(
            names = "--name",
            description =
                    "What to call the run's scorer in the report (default: its scorer field).")
    String name;

    @Option(
            names = "--baselines",
            defaultValue = "true",
            negatable = true,
            fallbackValue = "true",
            description =
                    "Compute the small-loss and confident-learning baselines from the scores' class"
                            + " probabilities (default: ${DEFAULT-VALUE}).")
    boolean baselines;

    @Option(
            names = "--many-above",
            defaultValue = "100",
            description =
                    "A class is many-shot above this many samples (default: ${DEFAULT-VALUE}).")
    int manyAbove;

    @Option(
            names = "--few-below",
            defaultValue = "20",
            description =
                    "A class is few-shot below this many samples (default: ${DEFAULT-VALUE}).")
    int fewBelow;

    @Option(
            names = "--test-set",
            paramLabel = "KIND:DIR",
            description =
                    "Test the run's model versions (from the profile's store) on a local test set:"
                            + " fashion-mnist:DIR, idx:DIR (any IDX pair, the test split),"
                            + " cifar10:DIR or cifar100:DIR (binary versions).")
    String testSet;

    @Option(
            names = "--issues",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Also write the top N suspected label errors per class (label-issues.csv) and,"
                            + " with their images from the samples topic, a contact sheet"
                            + " (label-issues.png).")
    int issues;

    @Option(
            names = "--out",
            defaultValue = "sfa-report",
            description = "Folder for the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--timeout",
            defaultValue = "PT2M",
            description =
                    "How long to wait for a topic to be read to its end (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Everything an evaluation needs, read by the command or handed over by the demo. */
    public record Inputs(
            String scorer,
            List<ScoreRow> scores,
            Map<String, List<ScoreRow>> otherRuns,
            List<ClassStatsRow> classStats,
            ModelAccuracy accuracy,
            int manyAbove,
            int fewBelow,
            boolean baselines) {}

    /** The report and what it was computed from. */
    public record Result(Path report, NoiseEvaluation evaluation) {}

    @Override
    public Integer call() throws Exception {
        PipelineConfig c;
        try {
            c = profile();
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        List<String> provenance = new ArrayList<>();
        List<ScoreRow> scores;
        if (scoresFile != null) {
            scores = EvaluationCsv.readScores(scoresFile);
            provenance.add("scores: " + scoresFile);
        } else {
            scores = readScores(c.kafka().bootstrapServers(), c.kafka().scoresTopic());
            provenance.add(
                    "scores: topic "
                            + c.kafka().scoresTopic()
                            + " at "
                            + c.kafka().bootstrapServers()
                            + " (read_committed)");
        }
        if (scores.isEmpty()) {
            System.err.println("no scores to evaluate (" + provenance.get(0) + ")");
            return 1;
        }
        if (scores.stream().noneMatch(ScoreRow::hasTruth)) {
            System.err.println(
                    "the scores carry no trueLabel, so there is nothing to evaluate against: replay a"
                            + " dataset with ground truth (sfa replay, sfa demo)");
            return 1;
        }
        List<ClassStatsRow> stats;
        if (classStatsFile != null) {
            stats = EvaluationCsv.readClassStats(classStatsFile);
            provenance.add("class statistics: " + classStatsFile);
        } else if (scoresFile != null) {
            stats = List.of();
        } else {
            stats = readClassStats(c.kafka().bootstrapServers(), c.kafka().classStatsTopic());
            provenance.add("class statistics: topic " + c.kafka().classStatsTopic());
        }
        Map<String, List<ScoreRow>> others = new LinkedHashMap<>();
        for (String spec : compare) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                System.err.println(
                        "--compare takes NAME=TOPIC or NAME=FILE.csv, got '" + spec + "'");
                return 2;
            }
            String source = spec.substring(eq + 1).trim();
            Path file = Path.of(source);
            others.put(
                    spec.substring(0, eq).trim(),
                    source.endsWith(".csv") || Files.isRegularFile(file)
                            ? EvaluationCsv.readScores(file)
                            : readScores(c.kafka().bootstrapServers(), source));
            provenance.add("compared with " + spec);
        }
        ModelAccuracy accuracy = null;
        if (testSet != null) {
            int colon = testSet.indexOf(':');
            String kind = colon < 0 ? testSet : testSet.substring(0, colon);
            Path dir = colon < 0 ? FashionMnist.DEFAULT_DIR : Path.of(testSet.substring(colon + 1));
            ImageSet test =
                    switch (kind) {
                        case "fashion-mnist" -> FashionMnist.test(dir);
                        case "idx" -> IdxDataset.read(dir, "test", null);
                        case "cifar10" -> CifarBinaryReader.cifar10(dir, false);
                        case "cifar100" -> CifarBinaryReader.cifar100(dir, false);
                        default ->
                                throw new CommandLine.ParameterException(
                                        spec.commandLine(),
                                        "--test-set: unknown kind '"
                                                + kind
                                                + "' (fashion-mnist, idx, cifar10 or cifar100)");
                    };
            DjlRuntime.configure(c.djl().toSettings());
            accuracy =
                    ModelAccuracy.of(
                            c,
                            test,
                            test.name() + " (" + test.size() + " images)",
                            DjlRuntime.device());
            provenance.add("model versions from " + c.store().uri() + " tested on " + test.name());
        }
        String scorer = name != null ? name : displayName(scores.get(0).scorer());
        Inputs in =
                new Inputs(scorer, scores, others, stats, accuracy, manyAbove, fewBelow, baselines);
        provenance.add(
                "re-create from the files: bin/sfa evaluate --scores "
                        + out.resolve("scores.csv")
                        + " --class-stats "
                        + out.resolve("class-stats.csv"));
        Result r = evaluate(in, "sfa evaluate — " + scorer, provenance, out);
        if (issues > 0) {
            Map<String, Image> images =
                    fetchImages(
                            c.kafka().bootstrapServers(),
                            c.kafka().samplesTopic(),
                            r.evaluation(),
                            issues,
                            scoresFile != null);
            EvaluationReport.writeIssues(r.evaluation(), issues, images, out);
            System.out.println(
                    "suspected label errors: "
                            + out.resolve(EvaluationReport.ISSUES_CSV)
                            + (images.isEmpty()
                                    ? ""
                                    : " and " + out.resolve(EvaluationReport.ISSUES_PNG)));
        }
        System.out.println("report: " + r.report());
        return 0;
    }

    /** Evaluates, writes the report with its inputs as CSV into {@code dir}, and returns both. */
    public static Result evaluate(Inputs in, String title, List<String> provenance, Path dir)
            throws IOException {
        NoiseEvaluation ev =
                NoiseEvaluation.of(
                        in.scorer(),
                        in.scores(),
                        in.otherRuns(),
                        in.classStats(),
                        in.manyAbove(),
                        in.fewBelow(),
                        in.baselines());
        Files.createDirectories(dir);
        EvaluationCsv.writeScores(dir.resolve("scores.csv"), in.scores());
        EvaluationCsv.writeClassStats(dir.resolve("class-stats.csv"), in.classStats());
        for (var o : in.otherRuns().entrySet()) {
            EvaluationCsv.writeScores(
                    dir.resolve("scores-" + o.getKey().replaceAll("[^A-Za-z0-9]+", "-") + ".csv"),
                    o.getValue());
        }
        Path report =
                EvaluationReport.write(
                        ev, in.accuracy(), new EvaluationReport.Context(title, provenance), dir);
        return new Result(report, ev);
    }

    /** The images of the samples the issues list will show, read from the samples topic. */
    static Map<String, Image> fetchImages(
            String bootstrap, String topic, NoiseEvaluation ev, int perClass, boolean optional) {
        Set<String> ids = new HashSet<>();
        LabelIssues.top(ev.finalVerdicts().get(ev.rules().get(0)), perClass)
                .values()
                .forEach(l -> l.forEach(i -> ids.add(i.row().id())));
        Map<String, Image> images = new HashMap<>();
        try (TopicReader<LabelledSample> r =
                new TopicReader<>(bootstrap, topic, LabelledSample.class, false)
                        .skippingUnreadable()
                        .keeping(s -> ids.contains(s.getId()))) {
            for (LabelledSample s : r.readToEnd(Duration.ofMinutes(5))) {
                images.putIfAbsent(s.getId(), s.getImage());
            }
        } catch (RuntimeException e) {
            if (!optional) {
                throw e;
            }
            System.err.println(
                    "no images for the contact sheet (samples topic "
                            + topic
                            + " not readable: "
                            + e.getMessage()
                            + ")");
        }
        return images;
    }

    static List<ScoreRow> readScores(String bootstrap, String topic) {
        try (TopicReader<NoiseScore> r = new TopicReader<>(bootstrap, topic, NoiseScore.class)) {
            return r.readToEnd(Duration.ofMinutes(5)).stream().map(ScoreRow::of).toList();
        }
    }

    static List<ClassStatsRow> readClassStats(String bootstrap, String topic) {
        try (TopicReader<ClassEpochStats> r =
                new TopicReader<>(bootstrap, topic, ClassEpochStats.class)) {
            return r.readToEnd(Duration.ofMinutes(5)).stream().map(ClassStatsRow::of).toList();
        }
    }

    /** "sfa" reads as SFA, the baseline's scorer name as the centroid baseline. */
    static String displayName(String scorer) {
        return switch (scorer) {
            case "sfa" -> "SFA";
            case "baseline-distance-zscore" -> "centroid baseline";
            default -> scorer;
        };
    }

    private PipelineConfig profile() throws IOException {
        PipelineConfig c = config != null ? PipelineConfig.load(config) : PipelineConfig.defaults();
        return ProfileOverrides.apply(c, bootstrapServers, overrides);
    }
}
