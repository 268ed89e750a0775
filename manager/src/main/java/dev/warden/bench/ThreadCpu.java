package dev.warden.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a JVM's CPU goes, by thread group ("probe-12" and "probe-3" are both "probe"). What no Java thread
 * accounts for (garbage collection, the JIT compilers) is reported as "jvm (gc, jit)".
 */
final class ThreadCpu {

    private ThreadCpu() {
    }

    /** CPU nanoseconds so far per thread group, for threads alive now. */
    static Map<String, Long> byGroup() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new TreeMap<>();
        for (long id : mx.getAllThreadIds()) {
            long cpu = mx.getThreadCpuTime(id);
            ThreadInfo info = mx.getThreadInfo(id);
            if (cpu < 0 || info == null) {
                continue;
            }
            out.merge(group(info.getThreadName()), cpu, Long::sum);
        }
        return out;
    }

    static String group(String threadName) {
        String g = threadName.replaceAll("[-#_ ]?\\d+$", "").replaceAll("\\d+", "N");
        return g.isEmpty() ? threadName : g;
    }

    /**
     * Percent of one core per group between two readings; threads that ended in between are lost, threads that
     * started count from zero. The remainder of the process's CPU is the JVM's own work.
     */
    static Map<String, Double> percentOfOneCore(Map<String, Long> before, Map<String, Long> after, long processCpu,
                                               long wallNanos) {
        Map<String, Double> out = new LinkedHashMap<>();
        long accounted = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long used = Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
            accounted += used;
            if (used * 1000 >= wallNanos) { // at least 0.1 % of a core
                out.put(e.getKey(), round(100.0 * used / wallNanos));
            }
        }
        out.put("jvm (gc, jit)", round(100.0 * Math.max(0, processCpu - accounted) / wallNanos));
        return out;
    }

    /** Milliseconds the JIT compilers and the garbage collectors have worked so far (wall time, as the JVM counts). */
    static long[] jitAndGcMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        long compile = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        long gc = 0;
        for (var b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, b.getCollectionTime());
        }
        return new long[] {compile, gc};
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
