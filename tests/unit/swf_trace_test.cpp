// SWF trace lines (calendar/SwfTrace.h), which the calendar benchmark
// replays from the Parallel Workloads Archive.
#include <gtest/gtest.h>

#include "calendar/SwfTrace.h"

using namespace vcluster::calendar;

TEST(SwfTrace, ReadsSubmitRunTimeAndProcessors) {
    auto job = parseSwfLine(
        "    2     1460     -1   3726  128     -1    -1   -1     -1    -1 -1   1   1  -1 -1 -1 "
        "-1 -1\n");
    ASSERT_TRUE(job);
    EXPECT_EQ(job->submit, 1460);
    EXPECT_EQ(job->runtime, 3726);
    EXPECT_EQ(job->procs, 128);
    // Requested time and processors stand in for missing ones.
    job = parseSwfLine("1 0 10 -1 -1 -1 -1 4 3600 -1 1 1 1 1 1 -1 -1 -1");
    ASSERT_TRUE(job);
    EXPECT_EQ(job->runtime, 3600);
    EXPECT_EQ(job->procs, 4);
}

TEST(SwfTrace, CommentsShortLinesAndJobsThatCannotBeReplayedAreSkipped) {
    EXPECT_FALSE(parseSwfLine("; Version: 2.1"));
    EXPECT_FALSE(parseSwfLine(""));
    EXPECT_FALSE(parseSwfLine("1 0 10 3600 4 -1 -1 -1"));       // 8 fields
    EXPECT_FALSE(parseSwfLine("1 -5 10 3600 4 -1 -1 -1 -1"));   // submitted before 0
    EXPECT_FALSE(parseSwfLine("1 0 10 -1 4 -1 -1 -1 -1"));      // no run time
    EXPECT_FALSE(parseSwfLine("1 0 10 3600 -1 -1 -1 -1 -1"));   // no processors
    EXPECT_FALSE(parseSwfLine("1 0 10 3600 4 12.5 -1 -1 -1"));  // not an integer
}

// The benchmark's reader took fields with sscanf's %lld and the processors
// as an int: 3000000000 processors became a job of -1294967296, and a field
// past the range of long long is undefined behaviour for sscanf. Such jobs
// are skipped now, and run times past a year too (scaled, they overflowed the
// replay's times). fuzz/regressions/fuzz-swf/procs-past-int-max.
TEST(SwfTrace, ValuesThatDoNotFitAreSkippedNotWrapped) {
    EXPECT_FALSE(parseSwfLine("1 0 10 3600 3000000000 -1 -1 -1 -1 -1 1 1 1 1 1 -1 -1 -1"));
    EXPECT_FALSE(parseSwfLine("2 5 10 99999999999999999999 4 -1 -1 -1 -1"));
    EXPECT_FALSE(parseSwfLine("3 5 10 40000000 4 -1 -1 -1 -1"));
    auto job = parseSwfLine("4 5 10 31622400 2147483647 -1 -1 -1 -1");
    ASSERT_TRUE(job);
    EXPECT_EQ(job->procs, 2147483647);
    EXPECT_EQ(job->runtime, kSwfMaxRuntime);
}
