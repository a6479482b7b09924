package io.sfastream.pipeline.report;

import io.sfastream.eval.DetectionMetrics;
import io.sfastream.pipeline.eval.Detection;
import io.sfastream.pipeline.eval.NoiseEvaluation;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's pictures, drawn with XChart into PNG files. */
public final class ReportPlots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    public static final String PR_CURVE = "precision-recall.png";
    public static final String NOISE_RATE = "noise-rate-per-class.png";
    public static final String PER_EPOCH = "auroc-accuracy-per-epoch.png";
    public static final String CLASS_ACCURACY = "accuracy-per-class.png";
    public static final String CONFUSION = "given-vs-suggested.png";

    private static final int WIDTH = 900;
    private static final int HEIGHT = 700;

    private ReportPlots() {}

    /** Precision against recall of flagging the mislabelled samples, one curve per rule. */
    public static Path precisionRecall(NoiseEvaluation ev, Path dir) throws IOException {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(
                                "Finding the mislabelled samples: precision vs recall (final verdicts)")
                        .xAxisTitle("recall (share of the mislabelled samples found)")
                        .yAxisTitle("precision (share of the flagged that are mislabelled)")
                        .build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        for (var e : ev.curves().entrySet()) {
            DetectionMetrics.Curve c = e.getValue();
            if (c.positives() == 0 || c.recall().length == 0) {
                continue;
            }
            double[] r = new double[c.recall().length + 1];
            double[] p = new double[r.length];
            r[0] = 0;
            p[0] = c.precision()[0];
            System.arraycopy(c.recall(), 0, r, 1, c.recall().length);
            System.arraycopy(c.precision(), 0, p, 1, c.precision().length);
            Detection d = ev.overall().get(e.getKey());
            XYSeries s =
                    chart.addSeries(
                            String.format(
                                    java.util.Locale.ROOT,
                                    "%s (AP %.3f)",
                                    e.getKey(),
                                    d.averagePrecision()),
                            r,
                            p);
            s.setMarker(SeriesMarkers.NONE);
        }
        return save(chart, dir.resolve(PR_CURVE));
    }

    /** Per class: the true noise rate, SFA's estimate, and each rule's flagged rate. */
    public static Path noiseRatePerClass(NoiseEvaluation ev, Path dir) throws IOException {
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title("Noise rate per class (classes by given label, head first)")
                        .xAxisTitle("class (samples)")
                        .yAxisTitle("rate")
                        .build();
        style(chart);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        List<String> x = new ArrayList<>();
        List<Double> truth = new ArrayList<>();
        List<Double> estimate = new ArrayList<>();
        for (NoiseEvaluation.ClassNoise c : ev.classNoise()) {
            x.add(c.label() + " (" + c.samples() + ")");
            truth.add(zeroIfNaN(c.trueRate()));
            estimate.add(zeroIfNaN(c.sfaEstimate()));
        }
        chart.addSeries("true noise rate", x, truth);
        if (ev.classNoise().stream().anyMatch(c -> !Double.isNaN(c.sfaEstimate()))) {
            chart.addSeries("SFA estimate (GMM weight, last boundary)", x, estimate);
        }
        for (String rule : ev.rules()) {
            List<Double> f = new ArrayList<>();
            for (NoiseEvaluation.ClassNoise c : ev.classNoise()) {
                f.add(zeroIfNaN(c.flaggedRate().get(rule)));
            }
            chart.addSeries(rule + " flagged", x, f);
        }
        return save(chart, dir.resolve(NOISE_RATE));
    }

    /**
     * Per virtual epoch: each rule's AUROC and, when known, the held-out accuracy of the model
     * version the epoch was scored with.
     */
    public static Path perEpoch(
            NoiseEvaluation ev, SortedMap<Integer, Double> accuracyByEpoch, Path dir)
            throws IOException {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title("AUROC of each rule and test accuracy, per virtual epoch")
                        .xAxisTitle("virtual epoch")
                        .yAxisTitle("AUROC / accuracy")
                        .build();
        style(chart);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        for (String rule : ev.rules()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Map.Entry<Integer, Detection> e : ev.byEpoch().get(rule).entrySet()) {
                if (!Double.isNaN(e.getValue().auroc())) {
                    x.add((double) e.getKey());
                    y.add(e.getValue().auroc());
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries("AUROC " + rule, x, y);
            }
        }
        if (!accuracyByEpoch.isEmpty()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            accuracyByEpoch.forEach(
                    (e, a) -> {
                        x.add((double) e);
                        y.add(a);
                    });
            XYSeries s = chart.addSeries("test accuracy (the version scoring the epoch)", x, y);
            s.setLineColor(Color.BLACK);
            s.setMarkerColor(Color.BLACK);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no judged epoch", new double[] {0}, new double[] {0});
        }
        return save(chart, dir.resolve(PER_EPOCH));
    }

    /** Held-out accuracy per true class of one model version. */
    public static Path accuracyPerClass(double[] accuracy, String title, Path dir)
            throws IOException {
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle("true class")
                        .yAxisTitle("test accuracy")
                        .build();
        style(chart);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setLegendVisible(false);
        List<String> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int k = 0; k < accuracy.length; k++) {
            x.add(String.valueOf(k));
            y.add(zeroIfNaN(accuracy[k]));
        }
        chart.addSeries("accuracy", x, y);
        return save(chart, dir.resolve(CLASS_ACCURACY));
    }

    /** Counts of given label (rows) against the model's suggested label (columns). */
    public static Path givenVsSuggested(NoiseEvaluation ev, Path dir) throws IOException {
        int c = ev.classes();
        HeatMapChart chart =
                new HeatMapChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(
                                "Given label vs the model's suggested label (each sample's last score)")
                        .xAxisTitle("suggested label")
                        .yAxisTitle("given label")
                        .build();
        chart.getStyler().setShowValue(c <= 20).setPlotContentSize(0.95);
        chart.getStyler()
                .setRangeColors(
                        new Color[] {
                            new Color(247, 251, 255),
                            new Color(107, 174, 214),
                            new Color(8, 48, 107)
                        });
        List<Integer> axis = new ArrayList<>();
        for (int k = 0; k < c; k++) {
            axis.add(k);
        }
        List<Number[]> heat = new ArrayList<>();
        for (int g = 0; g < c; g++) {
            for (int s = 0; s < c; s++) {
                heat.add(new Number[] {s, g, ev.givenVsSuggested()[g][s]});
            }
        }
        chart.addSeries("samples", axis, axis, heat);
        return save(chart, dir.resolve(CONFUSION));
    }

    private static void style(Chart<?, ?> chart) {
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setAntiAlias(true);
    }

    private static double zeroIfNaN(Double v) {
        return v == null || Double.isNaN(v) ? 0 : v;
    }

    private static Path save(Chart<?, ?> chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
