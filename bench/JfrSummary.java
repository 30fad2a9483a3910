import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the app for bench/profile.sh (JDK 17, java.base + jdk.jfr only):
 *
 *   java bench/JfrSummary.java FILE.jfr [TOP]
 *
 * CPU: jdk.ExecutionSample (Java code only; native and GC/JIT threads are not in it, see the thread CPU table).
 * Views: self time by leaf frame; "owner" = the leaf-most frame in one of the known package groups; inclusive time
 * per method (each method counted once per stack); entry points into each library (root-most frame of the group and
 * the frame that called it); app methods inclusive. Allocation: jdk.ObjectAllocationSample weights. GC: pauses.
 */
public class JfrSummary {

    static final String[][] GROUPS = {
            { "app", "app.statustracker." },
            { "hibernate", "org.hibernate." },
            { "jackson", "com.fasterxml.jackson." },
            { "pgclient", "io.vertx.pgclient.", "io.vertx.sqlclient." },
            { "vertx", "io.vertx." },
            { "netty", "io.netty." },
            { "mutiny", "io.smallrye.mutiny." },
            { "smallrye", "io.smallrye." },
            { "resteasy", "org.jboss.resteasy." },
            { "quarkus", "io.quarkus." },
            { "jboss", "org.jboss." },
            { "jdk", "java.", "javax.", "jdk.", "sun.", "com.sun." },
    };

    static int top = 25;

    /** Exclusive buckets: a sample goes to the first category any of whose patterns occurs on its stack. */
    static final String[][] CATEGORIES = {
            { "HQL parse (ANTLR, SemanticQueryBuilder)", "org.hibernate.grammars.", "org.antlr.", "org.hibernate.query.hql.internal." },
            { "SQM->SQL AST->SQL translation per execution", "ConcreteSqmSelectQueryPlan.buildInterpretation",
                    "BaseSqmToSqlAstConverter.", "AbstractSqlAstTranslator.", "StandardSqmTranslator", "SqmTranslatorFactory" },
            { "Panache query building (string/params)", "AbstractJpaOperations.", "PanacheJpaUtil", "CommonPanacheQueryImpl" },
            { "flush (dirty check + UPDATE/INSERT mutations)", "FlushingEventListener.", "FlushEventListener.", "SessionImpl.reactiveFlush", "SessionImpl.flush" },
            { "persist (cascade, id, action queue)", "PersistEventListener.", ".persist" },
            { "session clear", "ReactiveSessionImpl.clear", "StatefulPersistenceContext.clear", "SessionImpl.clear" },
            { "select execution + entity loading", "org.hibernate.reactive.query.", "org.hibernate.sql.results.", "org.hibernate.sql.exec.",
                    "org.hibernate.reactive.sql.", "org.hibernate.reactive.loader." },
            { "other Hibernate", "org.hibernate." },
            { "SSE JSON (emit/updateJson/RequestViews)", "EventApplier.updateJson", "RequestViews.", "EventApplier.emit" },
            { "SSE write/broadcast", "app.statustracker.stream." },
            { "webhook parse + adapters (readTree, interpret)", "WebhookIntake.", "app.statustracker.ingest." },
            { "other app code", "app.statustracker." },
            { "Jackson (other)", "com.fasterxml.jackson." },
            { "PG client protocol (encode/decode)", "io.vertx.pgclient.", "io.vertx.sqlclient." },
            { "HTTP server (resteasy/vertx-http)", "org.jboss.resteasy.", "io.vertx.core.http.", "io.netty.handler.codec.http",
                    "io.quarkus.vertx.http." },
            { "Netty I/O, event loop, rest", "io.netty.", "io.vertx.", "io.smallrye.", "io.quarkus." },
    };

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        if (args.length > 1) {
            top = Integer.parseInt(args[1]);
        }
        List<RecordedEvent> samples = new ArrayList<>();
        List<RecordedEvent> native_ = new ArrayList<>();
        List<RecordedEvent> allocs = new ArrayList<>();
        Map<String, double[]> threadCpu = new HashMap<>(); // thread -> {sum user, sum system, n}
        List<RecordedEvent> cpuLoad = new ArrayList<>();
        long gcCount = 0;
        Duration gcPauseTotal = Duration.ZERO;
        Duration gcPauseMax = Duration.ZERO;
        Map<String, Long> gcNames = new HashMap<>();
        Instant first = null, last = null;
        List<RecordedEvent> compStats = new ArrayList<>();
        List<RecordedEvent> compilations = new ArrayList<>();
        Map<String, Long> deopts = new HashMap<>();
        long[] gcCpu = new long[3];
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String n = e.getEventType().getName();
                if (first == null || e.getStartTime().isBefore(first)) {
                    first = e.getStartTime();
                }
                if (last == null || e.getEndTime().isAfter(last)) {
                    last = e.getEndTime();
                }
                switch (n) {
                    case "jdk.ExecutionSample" -> samples.add(e);
                    case "jdk.NativeMethodSample" -> native_.add(e);
                    case "jdk.ObjectAllocationSample" -> allocs.add(e);
                    case "jdk.CPULoad" -> cpuLoad.add(e);
                    case "jdk.ThreadCPULoad" -> {
                        var th = e.getThread("eventThread");
                        String t = th == null ? "?" : th.getJavaName() + "\u0000" + th.getJavaThreadId();
                        double[] a = threadCpu.computeIfAbsent(t, k -> new double[3]);
                        a[0] += e.getFloat("user");
                        a[1] += e.getFloat("system");
                        a[2]++;
                    }
                    case "jdk.CompilerStatistics" -> compStats.add(e);
                    case "jdk.Compilation" -> {
                        compilations.add(e);
                    }
                    case "jdk.Deoptimization" -> deopts.merge(e.getString("reason") + " " + e.getString("action") + "  "
                            + (e.getValue("method") == null ? "?" : ((RecordedMethod) e.getValue("method")).getType().getName()
                                    + "." + ((RecordedMethod) e.getValue("method")).getName()), 1L, Long::sum);
                    case "jdk.GCCPUTime" -> {
                        gcCpu[0] += e.getLong("userTime");
                        gcCpu[1] += e.getLong("systemTime");
                        gcCpu[2] += e.getLong("realTime");
                    }
                    case "jdk.GarbageCollection" -> {
                        gcCount++;
                        Duration d = e.getDuration("sumOfPauses");
                        gcPauseTotal = gcPauseTotal.plus(d);
                        if (d.compareTo(gcPauseMax) > 0) {
                            gcPauseMax = d;
                        }
                        gcNames.merge(e.getString("name"), 1L, Long::sum);
                    }
                    default -> {
                    }
                }
            }
        }
        double secs = Duration.between(first, last).toMillis() / 1000.0;
        System.out.printf("# JFR summary of %s (%.1f s recorded)%n%n", file, secs);

        // ---- CPU as the JVM sees it
        double ju = 0, js = 0, mt = 0;
        for (RecordedEvent e : cpuLoad) {
            ju += e.getFloat("jvmUser");
            js += e.getFloat("jvmSystem");
            mt += e.getFloat("machineTotal");
        }
        if (!cpuLoad.isEmpty()) {
            int n = cpuLoad.size();
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf("jdk.CPULoad (avg over %d): JVM user %.1f%% + system %.1f%% of the machine (= %.2f cores of %d);"
                    + " machine total %.1f%%%n%n", n, 100 * ju / n, 100 * js / n, cores * (ju + js) / n, cores, 100 * mt / n);
        }
        System.out.println("## Thread CPU (jdk.ThreadCPULoad: average share of the whole machine, summed over the threads"
                + " of a group; Java threads only)");
        Map<String, double[]> grouped = new HashMap<>();
        threadCpu.forEach((k, a) -> {
            double[] g = grouped.computeIfAbsent(threadGroup(k.substring(0, k.indexOf('\u0000'))), x -> new double[3]);
            g[0] += a[0] / a[2];
            g[1] += a[1] / a[2];
            g[2]++;
        });
        grouped.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1],
                a.getValue()[0] + a.getValue()[1])).limit(12).forEach(en -> System.out.printf(
                        "  %6.2f%% user %6.2f%% sys  %s (%d threads)%n", 100 * en.getValue()[0], 100 * en.getValue()[1],
                        en.getKey(), (int) en.getValue()[2]));
        System.out.println();
        System.out.printf("GC CPU (jdk.GCCPUTime): user %.1f s, system %.1f s, real %.1f s%n", gcCpu[0] / 1e9,
                gcCpu[1] / 1e9, gcCpu[2] / 1e9);
        if (compStats.size() > 1) {
            compStats.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
            RecordedEvent a = compStats.get(0), b = compStats.get(compStats.size() - 1);
            System.out.printf("JIT (jdk.CompilerStatistics, first->last): %d compilations, %d OSR, %d bailouts, %d invalidated,"
                    + " compile time %.1f s%n", b.getInt("compileCount") - a.getInt("compileCount"),
                    b.getInt("osrCompileCount") - a.getInt("osrCompileCount"), b.getInt("bailoutCount") - a.getInt("bailoutCount"),
                    b.getInt("invalidatedCount") - a.getInt("invalidatedCount"),
                    (b.getLong("totalTimeSpent") - a.getLong("totalTimeSpent")) / 1000.0);
        }
        System.out.printf("jdk.Compilation events (>= threshold): %d, %.1f s%n", compilations.size(),
                compilations.stream().mapToLong(e -> e.getDuration().toMillis()).sum() / 1000.0);
        print("jdk.Deoptimization reason action method", deopts, deopts.values().stream().mapToLong(Long::longValue).sum(), 12);

        // ---- execution samples
        int total = samples.size();
        Map<String, Long> byThread = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> selfGroup = new HashMap<>();
        Map<String, Long> owner = new HashMap<>();
        Map<String, Long> ownerGroup = new HashMap<>();
        Map<String, Long> incl = new HashMap<>();
        Map<String, Long> inclApp = new HashMap<>();
        Map<String, Map<String, Long>> entries = new LinkedHashMap<>();
        Map<String, Long> inclGroup = new HashMap<>();
        int truncated = 0;
        for (RecordedEvent e : samples) {
            byThread.merge(threadGroup(e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName()), 1L, Long::sum);
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            if (st.isTruncated()) {
                truncated++;
            }
            List<RecordedFrame> fr = st.getFrames(); // index 0 = leaf
            String leaf = name(fr.get(0));
            self.merge(leaf, 1L, Long::sum);
            selfGroup.merge(group(fr.get(0)), 1L, Long::sum);
            // owner: leaf-most frame that is not plain JDK code
            String own = "jdk-only";
            String ownG = "jdk";
            for (RecordedFrame f : fr) {
                String g = group(f);
                if (!g.equals("jdk") && !g.equals("other")) {
                    own = name(f);
                    ownG = g;
                    break;
                }
            }
            owner.merge(own, 1L, Long::sum);
            ownerGroup.merge(ownG, 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            Set<String> seenG = new HashSet<>();
            for (RecordedFrame f : fr) {
                String m = name(f);
                if (seen.add(m)) {
                    incl.merge(m, 1L, Long::sum);
                    if (m.startsWith("app.statustracker.")) {
                        inclApp.merge(m, 1L, Long::sum);
                    }
                }
                seenG.add(group(f));
            }
            seenG.forEach(g -> inclGroup.merge(g, 1L, Long::sum));
            // entry into each library group: root-most frame of the group, with its caller
            Set<String> doneG = new HashSet<>();
            for (int i = fr.size() - 1; i >= 0; i--) {
                String g = group(fr.get(i));
                if (g.equals("jdk") || g.equals("other") || g.equals("app") || !doneG.add(g)) {
                    continue;
                }
                // the first frame of g entered from a non-g frame, nearest the root
                String caller = i + 1 < fr.size() ? name(fr.get(i + 1)) : "<root>";
                entries.computeIfAbsent(g, k -> new HashMap<>()).merge(name(fr.get(i)) + "  <-  " + caller, 1L, Long::sum);
            }
        }
        System.out.printf("## jdk.ExecutionSample: %d samples (%d with truncated stacks)%n", total, truncated);
        Map<Long, Long> perTid = new HashMap<>();
        Map<Long, String> tidName = new HashMap<>();
        for (RecordedEvent e : samples) {
            var th = e.getThread("sampledThread");
            if (th != null) {
                perTid.merge(th.getJavaThreadId(), 1L, Long::sum);
                tidName.put(th.getJavaThreadId(), th.getJavaName());
            }
        }
        long busiest = perTid.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(-1L);
        for (boolean onlyBusiest : new boolean[] { false, true }) {
            Map<String, Long> cat = new LinkedHashMap<>();
            long n = 0;
            for (RecordedEvent e : samples) {
                var th = e.getThread("sampledThread");
                if (onlyBusiest && (th == null || th.getJavaThreadId() != busiest)) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null) {
                    continue;
                }
                n++;
                List<String> names = st.getFrames().stream().map(JfrSummary::name).toList();
                String c = "other";
                outer: for (String[] cc : CATEGORIES) {
                    for (int i = 1; i < cc.length; i++) {
                        for (String fn : names) {
                            if (fn.contains(cc[i])) {
                                c = cc[0];
                                break outer;
                            }
                        }
                    }
                }
                cat.merge(c, 1L, Long::sum);
            }
            print("categories (exclusive, first match in this order)" + (onlyBusiest ? " - busiest thread only: "
                    + tidName.get(busiest) + " (" + n + " samples)" : " - all threads"), cat, Math.max(1, n), 30);
        }
        print("samples by thread", byThread, total, 10);
        print("self time by group (leaf frame's package)", selfGroup, total, 20);
        print("self time, top frames", self, total, top);
        print("owner group (leaf-most frame outside java.*/jdk.*)", ownerGroup, total, 20);
        print("owner method (leaf-most frame outside java.*/jdk.*)", owner, total, top);
        print("inclusive by group (group present anywhere on the stack)", inclGroup, total, 20);
        print("inclusive, app.statustracker methods", inclApp, total, 40);
        print("inclusive, all methods", incl, total, 80);

        // ---- native samples (threads in native code), excluding idle waits
        Map<String, Long> nat = new HashMap<>();
        int natBusy = 0;
        for (RecordedEvent e : native_) {
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            String leaf = name(st.getFrames().get(0));
            if (leaf.contains("epollWait") || leaf.contains("poll0") || leaf.contains("park") || leaf.contains("accept")
                    || leaf.contains("Object.wait") || leaf.contains("sleep") || leaf.contains("socketRead")
                    || leaf.contains("waitForReferencePendingList")) {
                continue;
            }
            natBusy++;
            String caller = st.getFrames().size() > 1 ? name(st.getFrames().get(1)) : "";
            nat.merge(leaf + "  <-  " + caller, 1L, Long::sum);
        }
        System.out.printf("## jdk.NativeMethodSample: %d samples, %d not idle waits%n", native_.size(), natBusy);
        print("native, non-idle", nat, Math.max(1, natBusy), 15);

        // ---- allocation
        Map<String, Double> allocClass = new HashMap<>();
        Map<String, Double> allocOwner = new HashMap<>();
        Map<String, Double> allocApp = new HashMap<>();
        double allocTotal = 0;
        for (RecordedEvent e : allocs) {
            double w = e.getLong("weight");
            allocTotal += w;
            allocClass.merge(e.getClass("objectClass").getName(), w, Double::sum);
            RecordedStackTrace st = e.getStackTrace();
            if (st == null) {
                continue;
            }
            String own = "jdk-only";
            String app = "(no app frame)";
            for (RecordedFrame f : st.getFrames()) {
                String g = group(f);
                if (own.equals("jdk-only") && !g.equals("jdk") && !g.equals("other")) {
                    own = name(f);
                }
                if (g.equals("app")) {
                    app = name(f);
                    break;
                }
            }
            allocOwner.merge(own, w, Double::sum);
            allocApp.merge(app, w, Double::sum);
        }
        System.out.printf("## jdk.ObjectAllocationSample: %d samples, estimated %.0f MB allocated (%.0f MB/s)%n",
                allocs.size(), allocTotal / 1e6, allocTotal / 1e6 / secs);
        printD("allocation by class (MB)", allocClass, allocTotal, top);
        printD("allocation by owner frame (leaf-most non-JDK) (MB)", allocOwner, allocTotal, top);
        printD("allocation by leaf-most app frame (MB)", allocApp, allocTotal, 15);

        System.out.printf("## GC: %d collections %s, pauses total %d ms, max %.1f ms%n%n", gcCount, gcNames,
                gcPauseTotal.toMillis(), gcPauseMax.toNanos() / 1e6);

        // ---- entry points per library
        for (var en : entries.entrySet()) {
            long sum = en.getValue().values().stream().mapToLong(Long::longValue).sum();
            print("entry into " + en.getKey() + " (root-most frame of the group  <-  its caller); group total "
                    + String.format("%.1f%%", 100.0 * sum / total), en.getValue(), total, 15);
        }
    }

    static double avg(double[] a) {
        return (a[0] + a[1]) / a[2];
    }

    static String threadGroup(String t) {
        if (t == null) {
            return "?";
        }
        return t.replaceAll("-\\d+$", "-N").replaceAll("#\\d+", "#N");
    }

    static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m == null ? "?" : m.getType().getName() + "." + m.getName();
    }

    static String group(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null) {
            return "other";
        }
        String c = m.getType().getName();
        for (String[] g : GROUPS) {
            for (int i = 1; i < g.length; i++) {
                if (c.startsWith(g[i])) {
                    return g[0];
                }
            }
        }
        return "other";
    }

    static void print(String title, Map<String, Long> m, long total, int n) {
        System.out.println("### " + title);
        m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(n)
                .forEach(en -> System.out.printf("  %5.1f%% %6d  %s%n", 100.0 * en.getValue() / total, en.getValue(),
                        en.getKey()));
        System.out.println();
    }

    static void printD(String title, Map<String, Double> m, double total, int n) {
        System.out.println("### " + title);
        m.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(n)
                .forEach(en -> System.out.printf("  %5.1f%% %8.1f  %s%n", 100.0 * en.getValue() / total,
                        en.getValue() / 1e6, en.getKey()));
        System.out.println();
    }
}
