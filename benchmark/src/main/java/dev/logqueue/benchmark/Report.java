package dev.logqueue.benchmark;

import dev.logqueue.benchmark.Benchmark.Options;
import dev.logqueue.benchmark.Benchmark.Outcome;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.imageio.ImageIO;

/** The benchmark's one table (text and Markdown) and its chart (PNG). */
final class Report {

  private Report() {}

  private record Row(String name, Function<Outcome, String> value, String goal) {}

  /** One of the goals: a ratio of the outcome, its bound, and on which side of it the goal is. */
  private record Goal(
      String label, Function<Outcome, Double> ratio, double bound, boolean atLeast) {
    String text() {
      return (atLeast ? "≥ " : "≤ ")
          + BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }

    String verdict(Outcome outcome) {
      double value = ratio.apply(outcome);
      if (Double.isNaN(value)) {
        return "n/a (" + outcome.peer().skipped() + ")";
      }
      boolean met = atLeast ? value >= bound : value <= bound;
      return Report.ratio(value) + (met ? " ✓" : " ✗");
    }
  }

  private static final Goal SDK =
      new Goal("SDK producer/RabbitMQ quorum", Outcome::sdkPeerRatio, 2.0, true);
  private static final Goal PRODUCE = new Goal("produce/status", Outcome::produceRatio, 0.8, true);
  private static final Goal PRODUCE_PEER =
      new Goal("produce/RabbitMQ quorum", Outcome::producePeerRatio, 0.7, true);
  private static final Goal CONSUME = new Goal("consume/status", Outcome::consumeRatio, 0.7, true);
  private static final Goal EXPLICIT =
      new Goal("explicit consume/status, 32 conn.", Outcome::explicitRatio, 0.8, true);
  private static final Goal AUTO =
      new Goal("v1 consume/status, 32 conn.", Outcome::autoRatio, 0.5, true);
  private static final Goal HISTORY =
      new Goal("behind the window/in it", Outcome::historyRatio, 0.9, true);
  private static final Goal BATCH = new Goal("batch/raw JDBC", Outcome::batchRatio, 0.7, true);
  private static final Goal P99 =
      new Goal("produce p99 at 8 conn., ms", Outcome::produceP99At8, 5.0, false);
  private static final Goal RSS = new Goal("RSS end/start", Outcome::rssRatio, 1.2, false);
  private static final Goal RESTART =
      new Goal("ready full/empty", Outcome::restartRatio, 2.0, false);
  private static final List<Goal> GOALS =
      List.of(
          SDK, PRODUCE, PRODUCE_PEER, CONSUME, EXPLICIT, AUTO, HISTORY, BATCH, P99, RSS, RESTART);

  private static String peer(Outcome outcome, Function<RabbitPeer.Outcome, RabbitPeer.Result> of) {
    if (!outcome.peer().ran()) {
      return "skipped: " + outcome.peer().skipped();
    }
    RabbitPeer.Result result = of.apply(outcome.peer());
    return String.format(
        Locale.ROOT,
        "%,.0f (confirm p50 %.1f ms, p99 %.1f ms)",
        result.messagesPerSecond(),
        result.confirmP50(),
        result.confirmP99());
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }

  private static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String latency(Wrk.Result result) {
    return String.format(
        Locale.ROOT,
        "%,.0f (p50 %.1f ms, p99 %.1f ms)",
        result.requestsPerSecond(),
        result.p50(),
        result.p99());
  }

  private static List<Row> rows(Options options) {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("GET /status, requests/s", o -> latency(o.status()), "the server's ceiling"));
    rows.add(new Row("produce, 1 message per request, msgs/s", o -> latency(o.produce()), ""));
    rows.add(new Row("consume, 1 message per request, msgs/s", o -> latency(o.consume()), ""));
    rows.add(
        new Row(
            "consume behind the window (from the database), msgs/s",
            o -> latency(o.history()),
            ""));
    rows.add(
        new Row(
            "batch produce, 100 per request, msgs/s", o -> rate(o.batchMessagesPerSecond()), ""));
    rows.add(
        new Row(
            "SDK producer, "
                + Benchmark.SDK_THREADS
                + " application threads calling sendAsync ("
                + SdkLoad.WINDOW
                + " in flight each), committed msgs/s (call to commit)",
            o ->
                String.format(
                    Locale.ROOT,
                    "%,.0f (p50 %.1f ms, p99 %.1f ms)",
                    o.sdk().messagesPerSecond(),
                    o.sdk().p50(),
                    o.sdk().p99()),
            ""));
    rows.add(
        new Row(
            "peer: RabbitMQ classic durable queue, persistent, "
                + RabbitPeer.CONFIRMS
                + " confirms in flight, 1 consumer, msgs/s",
            o -> peer(o, RabbitPeer.Outcome::classic),
            "PerfTest, same machine, LogQueue stopped"));
    rows.add(
        new Row(
            "peer: RabbitMQ quorum queue (fsync before confirm), same load, msgs/s",
            o -> peer(o, RabbitPeer.Outcome::quorum),
            "the durable peer"));
    StringBuilder latencyName = new StringBuilder("single produce, p50 / p99 ms at ");
    for (int i = 0; i < Benchmark.LATENCY_CONNECTIONS.size(); i++) {
      latencyName.append(i == 0 ? "" : " / ").append(Benchmark.LATENCY_CONNECTIONS.get(i));
    }
    rows.add(
        new Row(
            latencyName + " connections",
            o -> {
              StringBuilder text = new StringBuilder();
              for (Wrk.Result result : o.produceLatency()) {
                text.append(text.length() == 0 ? "" : "; ")
                    .append(String.format(Locale.ROOT, "%.2f / %.1f", result.p50(), result.p99()));
              }
              return text.toString();
            },
            ""));
    rows.add(
        new Row(
            "raw JDBC batch insert, 100 rows per commit, rows/s (1 thread / "
                + Benchmark.RAW_WRITERS
                + " threads)",
            o -> rate(o.raw().oneThread()) + " / " + rate(o.raw().manyThreads()),
            "the database's ceiling"));
    rows.add(
        new Row(
            "database commit, ms: p50 / p99 / p99.9 / max (the broker's timer, recent commits)",
            o ->
                String.format(
                    Locale.ROOT,
                    "%.2f / %.2f / %.1f / %.1f",
                    o.commitTimes().p50(),
                    o.commitTimes().p99(),
                    o.commitTimes().p999(),
                    o.commitTimes().max()),
            "a commit's stalls, apart from GC pauses"));
    rows.add(
        new Row(
            "requests per commit (mean, all of the run)",
            o -> String.format(Locale.ROOT, "%.1f", o.requestsPerCommit()),
            ""));
    for (int i = 0; i < Benchmark.MODE_CONNECTIONS.size(); i++) {
      int index = i;
      int connections = Benchmark.MODE_CONNECTIONS.get(i);
      rows.add(
          new Row(
              connections + " connections: GET /status / auto consume / explicit consume, req/s",
              o ->
                  rate(o.modes().get(index).status().requestsPerSecond())
                      + " / "
                      + rate(o.modes().get(index).auto().requestsPerSecond())
                      + " / "
                      + rate(o.modes().get(index).explicit().requestsPerSecond()),
              "explicit: leases in memory, nothing committed"));
      rows.add(
          new Row(
              connections + " connections: explicit / status, explicit / auto",
              o ->
                  String.format(
                      Locale.ROOT,
                      "%.2f, %.2f",
                      o.modes().get(index).explicit().requestsPerSecond()
                          / o.modes().get(index).status().requestsPerSecond(),
                      o.modes().get(index).explicit().requestsPerSecond()
                          / o.modes().get(index).auto().requestsPerSecond()),
              ""));
    }
    rows.add(new Row("SDK producer / RabbitMQ quorum", SDK::verdict, SDK.text()));
    rows.add(new Row("produce / status", PRODUCE::verdict, PRODUCE.text()));
    rows.add(new Row("produce / RabbitMQ quorum", PRODUCE_PEER::verdict, PRODUCE_PEER.text()));
    rows.add(new Row("consume / status", CONSUME::verdict, CONSUME.text()));
    rows.add(
        new Row("explicit consume / status, 32 connections", EXPLICIT::verdict, EXPLICIT.text()));
    rows.add(new Row("v1 consume / status, 32 connections", AUTO::verdict, AUTO.text()));
    rows.add(
        new Row("consume behind the window / in the window", HISTORY::verdict, HISTORY.text()));
    rows.add(new Row("batch produce / raw JDBC (best)", BATCH::verdict, BATCH.text()));
    rows.add(new Row("single produce p99 at 8 connections, ms", P99::verdict, P99.text()));
    rows.add(
        new Row(
            "RSS after "
                + String.format(Locale.ROOT, "%,d", options.messages())
                + " messages / RSS at start",
            o ->
                RSS.verdict(o)
                    + " ("
                    + o.rssStartKb() / 1024
                    + " → "
                    + o.rssEndKb() / 1024
                    + " MB)",
            RSS.text()));
    rows.add(
        new Row(
            "restart to ready, with history / empty",
            o ->
                RESTART.verdict(o)
                    + String.format(
                        Locale.ROOT,
                        " (%.1f s with %,d messages / %.1f s)",
                        o.readyFullMs() / 1000,
                        o.storedMessages(),
                        o.readyEmptyMs() / 1000),
            RESTART.text()));
    rows.add(new Row("failed requests", o -> Long.toString(o.failures()), "0"));
    return rows;
  }

  /** The table as Markdown (which also reads as plain text). */
  static String table(List<Outcome> outcomes, Options options) {
    StringBuilder table = new StringBuilder();
    table.append("| measure |");
    outcomes.forEach(o -> table.append(' ').append(o.database()).append(" |"));
    table.append(" goal |\n|---|");
    outcomes.forEach(o -> table.append("---|"));
    table.append("---|\n");
    for (Row row : rows(options)) {
      table.append("| ").append(row.name()).append(" |");
      for (Outcome outcome : outcomes) {
        table.append(' ').append(row.value().apply(outcome)).append(" |");
      }
      table.append(' ').append(row.goal()).append(" |\n");
    }
    return table.toString();
  }

  static void write(List<Outcome> outcomes, Options options) throws IOException {
    Files.createDirectories(options.out());
    String markdown =
        "# LogQueue benchmark\n\n"
            + LocalDate.now()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores, Java "
            + System.getProperty("java.version")
            + "; wrk with 2 threads and "
            + options.connections()
            + " connections on the same machine; "
            + options.warmup().toSeconds()
            + " s of warm-up, then "
            + options.duration().toSeconds()
            + " s per measure"
            + (options.smoke() ? " (smoke run: small counts, not a measurement)" : "")
            + ". Messages of 100 bytes. `benchmark/run.sh` made it.\n\n"
            + table(outcomes, options)
            + "\n![chart](benchmark.png)\n";
    Files.writeString(options.out().resolve("benchmark.md"), markdown, StandardCharsets.UTF_8);
    ImageIO.write(chart(outcomes), "png", options.out().resolve("benchmark.png").toFile());
  }

  private static final Color[] COLORS = {
    new Color(0x3b6ea8), new Color(0xd9822b), new Color(0x5a9e4b)
  };

  /** Throughputs (log scale) on the left, ratios against their goals on the right. */
  static BufferedImage chart(List<Outcome> outcomes) {
    int width = 1200;
    int height = 560;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("LogQueue: throughput per second (log scale)", 40, 30);
    g.drawString("Ratios and their goals", 780, 30);

    String[] labels = {
      "status", "produce", "consume", "behind", "batch", "raw JDBC", "SDK", "RabbitMQ q."
    };
    List<Function<Outcome, Double>> values =
        List.of(
            o -> o.status().requestsPerSecond(),
            o -> o.produce().requestsPerSecond(),
            o -> o.consume().requestsPerSecond(),
            o -> o.history().requestsPerSecond(),
            Outcome::batchMessagesPerSecond,
            o -> o.raw().best(),
            o -> o.sdk().messagesPerSecond(),
            o -> o.peer().ran() ? o.peer().quorumRate() : 0);
    int left = 70;
    int bottom = 480;
    int plotHeight = 420;
    double decades = 6; // 1 to 1,000,000
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int d = 0; d <= decades; d++) {
      int y = bottom - (int) (plotHeight * d / decades);
      g.setColor(new Color(0xdddddd));
      g.drawLine(left, y, 690, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%,d", (long) Math.pow(10, d)), 5, y + 4);
    }
    int group = 620 / labels.length;
    int bar = Math.max(8, (group - 16) / Math.max(1, outcomes.size()));
    for (int i = 0; i < labels.length; i++) {
      int x0 = left + 8 + i * group;
      for (int k = 0; k < outcomes.size(); k++) {
        double value = Math.max(1, values.get(i).apply(outcomes.get(k)));
        int h = (int) (plotHeight * Math.log10(value) / decades);
        g.setColor(COLORS[k % COLORS.length]);
        g.fillRect(x0 + k * bar, bottom - h, bar - 2, h);
        g.setColor(Color.BLACK);
        g.drawString(compact(value), x0 + k * bar, bottom - h - 4);
      }
      g.setColor(Color.BLACK);
      g.drawString(labels[i], x0, bottom + 16);
    }

    int rLeft = 760;
    int rWidth = 400;
    for (int i = 0; i < GOALS.size(); i++) {
      Goal goal = GOALS.get(i);
      int y0 = 50 + i * 440 / GOALS.size();
      g.setColor(Color.BLACK);
      g.drawString(goal.label() + "  (goal " + goal.text() + ")", rLeft, y0 + 10);
      double max = goal.bound() * 2; // each goal on its own scale, its bound in the middle
      for (Outcome outcome : outcomes) {
        double value = goal.ratio().apply(outcome);
        max = Double.isNaN(value) ? max : Math.max(max, value * 1.1);
      }
      for (int k = 0; k < outcomes.size(); k++) {
        double value = goal.ratio().apply(outcomes.get(k));
        if (Double.isNaN(value)) {
          continue;
        }
        int w = (int) (rWidth * Math.min(value, max) / max);
        g.setColor(COLORS[k % COLORS.length]);
        g.fillRect(rLeft, y0 + 14 + k * 12, w, 10);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.2f", value), rLeft + w + 4, y0 + 23 + k * 12);
      }
      int gx = rLeft + (int) (rWidth * goal.bound() / max);
      g.setColor(Color.RED);
      g.setStroke(new BasicStroke(2));
      g.drawLine(gx, y0 + 12, gx, y0 + 16 + outcomes.size() * 12);
      g.setStroke(new BasicStroke(1));
    }
    for (int k = 0; k < outcomes.size(); k++) {
      g.setColor(COLORS[k % COLORS.length]);
      g.fillRect(left + k * 140, 515, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(outcomes.get(k).database(), left + 20 + k * 140, 527);
    }
    g.setColor(Color.RED);
    g.drawLine(rLeft, 522, rLeft + 20, 522);
    g.setColor(Color.BLACK);
    g.drawString("goal", rLeft + 26, 527);
    g.dispose();
    return image;
  }

  private static String compact(double value) {
    if (value >= 1_000_000) {
      return String.format(Locale.ROOT, "%.1fM", value / 1e6);
    }
    if (value >= 1_000) {
      return String.format(Locale.ROOT, "%.1fk", value / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", value);
  }
}
