// The chart series keys (core/pipeline/SeriesKeys.h): what the processor appends under is what the
// charts read back by prefix.
#include "Samples.h"
#include "TestSupport.h"
#include "accounting/Ledger.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/Processor.h"
#include "pipeline/SeriesKeys.h"
#include "pipeline/SeriesStore.h"

#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test;
using serieskeys::Kind;

TEST(SeriesKeys, SpellKindSlashName)
{
    EXPECT_EQ(serieskeys::key(Kind::Power, QStringLiteral("gpu-01")),
              QStringLiteral("power/gpu-01"));
    EXPECT_EQ(serieskeys::key(Kind::Flow, QStringLiteral("gpu-01")), QStringLiteral("flow/gpu-01"));
    EXPECT_EQ(serieskeys::key(Kind::Temp, QStringLiteral("gpu-01")), QStringLiteral("temp/gpu-01"));
    EXPECT_EQ(serieskeys::key(Kind::Kwh, QStringLiteral("J")), QStringLiteral("kwh/J"));
    EXPECT_EQ(serieskeys::key(Kind::Co2e, QStringLiteral("J")), QStringLiteral("co2e/J"));
    EXPECT_EQ(serieskeys::key(Kind::Liters, QStringLiteral("J")), QStringLiteral("liters/J"));
}

TEST(SeriesKeys, TheNameComesBackOnlyFromAKeyOfItsKind)
{
    // A job id may itself hold slashes: only the kind's prefix is taken off.
    const QString job = QStringLiteral("train/llm-7b/20251125");
    EXPECT_EQ(serieskeys::name(Kind::Kwh, serieskeys::key(Kind::Kwh, job)), job);
    EXPECT_TRUE(serieskeys::name(Kind::Co2e, serieskeys::key(Kind::Kwh, job)).isEmpty());
    EXPECT_TRUE(serieskeys::name(Kind::Power, QStringLiteral("powerX/h")).isEmpty());
    for (Kind a : {Kind::Power, Kind::Flow, Kind::Temp, Kind::Kwh, Kind::Co2e, Kind::Liters}) {
        for (Kind b : {Kind::Power, Kind::Flow, Kind::Temp, Kind::Kwh, Kind::Co2e, Kind::Liters}) {
            if (a != b) {
                EXPECT_FALSE(serieskeys::prefix(a).startsWith(serieskeys::prefix(b)))
                    << serieskeys::prefix(a).toStdString() << " overlaps "
                    << serieskeys::prefix(b).toStdString();
            }
        }
    }
}

TEST(SeriesKeys, TheProcessorAppendsUnderTheKeysTheChartsRead)
{
    ManualClock clock{kT0 + 20 * kSecond};
    Ledger ledger{LedgerConfig{}, clock};
    MosquittoClient mqtt{MqttOptions{}}; // never connected: messages are fed directly
    ProcessorOptions options;
    options.subscribe = false;
    Processor processor(ledger, mqtt, clock, options);
    SeriesStore store;
    processor.setSeriesStore(&store);
    ASSERT_TRUE(processor.start());

    processor.handleMessage(QByteArray(topics::kControl), controlJson(JobStatus::Start, "J", 0));
    for (int t = 0; t <= 10; ++t) {
        processor.handleMessage(QByteArray(topics::kPower), powerJson("h1", t, 500));
        processor.handleMessage(QByteArray(topics::kFlowTemp),
                                encode(flow(QStringLiteral("h1"), t, 6, 31)));
    }
    processor.stop(); // its last tick appends every series

    const QStringList host{QStringLiteral("h1")};
    auto names = [&](Kind kind) {
        QStringList out;
        for (const QString &key : store.keys(serieskeys::prefix(kind))) {
            out << serieskeys::name(kind, key);
        }
        out.sort();
        return out;
    };
    EXPECT_EQ(names(Kind::Power), host);
    EXPECT_EQ(names(Kind::Flow), host);
    EXPECT_EQ(names(Kind::Temp), host);
    // Jobs: J (and the idle pseudo-job, which always gets its series).
    EXPECT_TRUE(names(Kind::Kwh).contains(QStringLiteral("J")));
    EXPECT_TRUE(names(Kind::Co2e).contains(QStringLiteral("J")));
    EXPECT_TRUE(names(Kind::Liters).contains(QStringLiteral("J")));
    EXPECT_EQ(store.copy(serieskeys::key(Kind::Power, QStringLiteral("h1"))).constLast().y(), 500);
    EXPECT_EQ(store.copy(serieskeys::key(Kind::Temp, QStringLiteral("h1"))).constLast().y(), 31);
    EXPECT_DOUBLE_EQ(store.copy(serieskeys::key(Kind::Kwh, QStringLiteral("J"))).constLast().y(),
                     ledger.job(QStringLiteral("J"))->kwh);
    EXPECT_EQ(store.seriesCount(), 3 + 3 * names(Kind::Kwh).size());
}
