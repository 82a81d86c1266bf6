package io.mysqlmux.bench.report;

import io.mysqlmux.bench.scenario.Measurement;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One PNG per run, one series per target, by number of clients: the least served client's share of
 * the mean (left: 100 % is even service, 0 % means some client got nothing done; read it first),
 * throughput (middle) and p95 / max latency (right: a queue timeout shows as a max near it).
 */
public final class ChartReport {
    /** One colour per target, the same in both charts. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    private ChartReport() {
    }

    public static void write(Path png, String title, List<Measurement> measurements) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<Measurement>> byTarget = new LinkedHashMap<>();
        measurements.forEach(m -> byTarget.computeIfAbsent(m.target(), t -> new ArrayList<>()).add(m));

        XYChart fairness = chart(title, "least served client, % of the mean");
        fairness.getStyler().setYAxisMin(0.0);
        fairness.getStyler().setYAxisMax(100.0);
        XYChart throughput = chart("throughput", "units per second");
        XYChart latency = chart("latency: p95 solid, max dashed", "microseconds");
        latency.getStyler().setYAxisLogarithmic(true);
        latency.getStyler().setYAxisDecimalPattern("#,###");
        int index = 0;
        for (Map.Entry<String, List<Measurement>> target : byTarget.entrySet()) {
            Color color = PALETTE[index++ % PALETTE.length];
            List<Double> clients = target.getValue().stream().map(m -> (double) m.clients()).toList();
            style(fairness.addSeries(target.getKey(), clients, target.getValue().stream()
                    .map(m -> m.fairness().mean() == 0 ? 0.0 : 100.0 * m.fairness().min() / m.fairness().mean()).toList()),
                    color, SeriesMarkers.CIRCLE);
            style(throughput.addSeries(target.getKey(), clients,
                    target.getValue().stream().map(Measurement::unitsPerSecond).toList()), color, SeriesMarkers.CIRCLE);
            style(latency.addSeries(target.getKey() + " p95", clients,
                    target.getValue().stream().map(m -> (double) Math.max(1, m.p95Micros())).toList()),
                    color, SeriesMarkers.CIRCLE);
            style(latency.addSeries(target.getKey() + " max", clients,
                    target.getValue().stream().map(m -> (double) Math.max(1, m.maxMicros())).toList()),
                    color, SeriesMarkers.DIAMOND).setLineStyle(SeriesLines.DASH_DASH);
        }
        String file = png.toString();
        BitmapEncoder.saveBitmap(List.of(fairness, throughput, latency), 1, 3,
                file.endsWith(".png") ? file.substring(0, file.length() - 4) : file, BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYSeries style(XYSeries series, Color color, Marker marker) {
        series.setMarker(marker);
        series.setMarkerColor(color);
        series.setLineColor(color);
        return series;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(640).height(480).title(title).xAxisTitle("clients")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        return chart;
    }
}
