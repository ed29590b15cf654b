// Jobs on several hosts and job details (docs/accounting.md, "Jobs on several hosts"): a
// multi-node Slurm job sends one start and one end per node, each naming its host; the ledger
// keeps one job that runs on each host from that host's start to that host's end.
#include "LedgerTestSupport.h"
#include "accounting/Ledger.h"

#include <QJsonArray>
#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test::ledger;

namespace {

const QString kJob = QStringLiteral("slurm-hpc-42");
const QString kA = QStringLiteral("node-a");
const QString kB = QStringLiteral("node-b");

class LedgerNodesTest : public ::testing::Test
{
protected:
    ManualClock clock{at(100'000)};
    LedgerConfig config;
    Ledger ledger{config, clock};

    void start(double t, const QString &host)
    {
        ControlMessage m = control(JobStatus::Start, kJob, t, host);
        m.user = QStringLiteral("alice");
        m.name = QStringLiteral("train");
        m.gpus = {host == kA ? QStringLiteral("0") : QStringLiteral("1")};
        ASSERT_EQ(ledger.applyControl(m), Ledger::Result::Accepted);
    }
    void end(double t, const QString &host, int exitCode = 0, const char *state = "completed")
    {
        ControlMessage m = control(JobStatus::End, kJob, t, host);
        m.exitCode = exitCode;
        m.exitState = QString::fromLatin1(state);
        ASSERT_EQ(ledger.applyControl(m), Ledger::Result::Accepted);
    }
    // 100 W on both hosts, one sample a second with its "seq", for t in [from, to].
    static void samples(Ledger &l, int from, int to)
    {
        for (int t = from; t <= to; ++t) {
            l.addPower(withSeq(power(kA, t, 100.0), static_cast<quint64>(t) + 1));
            l.addPower(withSeq(power(kB, t, 100.0), static_cast<quint64>(t) + 1));
        }
    }
    void samples(int from, int to) { samples(ledger, from, to); }
    JobSummary summary(const QString &id = kJob)
    {
        const auto j = ledger.job(id);
        EXPECT_TRUE(j.has_value());
        return j.value_or(JobSummary{});
    }
};

} // namespace

TEST_F(LedgerNodesTest, OneJobRunsOnEachHostFromItsStartToItsEnd)
{
    samples(0, 2);
    start(2, kA);
    samples(3, 4);
    start(4, kB);
    samples(5, 10);
    end(10, kA);
    samples(11, 12);
    EXPECT_TRUE(summary().running) << "node-a's epilog does not end the job on node-b";
    EXPECT_EQ(summary().currentWatts, 100.0); // node-b's only
    samples(13, 14);
    end(14, kB);
    samples(15, 20);

    const JobSummary j = summary();
    EXPECT_FALSE(j.running);
    EXPECT_EQ(j.startNs, at(2));
    EXPECT_EQ(j.endNs, at(14));
    EXPECT_EQ(j.targetHosts, (QStringList{kA, kB}));
    EXPECT_EQ(j.hosts, (QStringList{kA, kB}));
    expectRelative(j.kwh * 3.6e6, 100.0 * 8 + 100.0 * 10); // a: [2,10), b: [4,14)
    // Nothing counted twice or lost: the job and idle share both hosts' energy exactly.
    expectRelative((j.kwh + summary(QStringLiteral("idle")).kwh) * 3.6e6, 2 * 100.0 * 20);
}

TEST_F(LedgerNodesTest, AnEndNamingNoHostEndsItEverywhere)
{
    samples(0, 1);
    start(1, kA);
    start(1, kB);
    samples(2, 5);
    end(5, QString());
    samples(6, 8);
    const JobSummary j = summary();
    EXPECT_FALSE(j.running);
    EXPECT_EQ(j.endNs, at(5));
    expectRelative(j.kwh * 3.6e6, 2 * 100.0 * 4);
}

TEST_F(LedgerNodesTest, AOneHostJobIsUnchangedByARepeatedStart)
{
    samples(0, 1);
    start(1, kA);
    start(2, kA); // repeated: nothing changes
    samples(2, 5);
    end(5, kA);
    const JobSummary j = summary();
    EXPECT_TRUE(j.targetHosts.isEmpty());
    EXPECT_EQ(j.targetHost, kA);
    expectRelative(j.kwh * 3.6e6, 100.0 * 4);
}

TEST_F(LedgerNodesTest, DetailsAreKeptAndShown)
{
    samples(0, 1);
    start(1, kA);
    start(1, kB);
    samples(2, 4);
    end(4, kA, 143, "cancelled");
    end(4, kB, 143, "cancelled");
    const JobSummary j = summary();
    EXPECT_EQ(j.user, QStringLiteral("alice"));
    EXPECT_EQ(j.name, QStringLiteral("train"));
    EXPECT_EQ(j.gpus.value(kA), QStringList{QStringLiteral("0")});
    EXPECT_EQ(j.gpus.value(kB), QStringList{QStringLiteral("1")});
    EXPECT_EQ(j.exitState, QStringLiteral("cancelled"));
    EXPECT_EQ(j.exitCode, std::optional<int>(143));

    const QJsonObject o = Ledger::jobToJson(j);
    EXPECT_EQ(o.value(QLatin1String("user")).toString(), QStringLiteral("alice"));
    EXPECT_EQ(o.value(QLatin1String("name")).toString(), QStringLiteral("train"));
    EXPECT_EQ(o.value(QLatin1String("exit_state")).toString(), QStringLiteral("cancelled"));
    EXPECT_EQ(o.value(QLatin1String("gpus")).toObject().value(kB).toArray().at(0).toString(),
              QStringLiteral("1"));
    EXPECT_EQ(o.value(QLatin1String("target_hosts")).toArray().size(), 2);

    // A job without details shows nulls and empty lists, as before it had none.
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("plain"), 5, kA));
    const QJsonObject plain = Ledger::jobToJson(summary(QStringLiteral("plain")));
    EXPECT_TRUE(plain.value(QLatin1String("user")).isNull());
    EXPECT_TRUE(plain.value(QLatin1String("exit_state")).isNull());
    EXPECT_TRUE(plain.value(QLatin1String("gpus")).toObject().isEmpty());
}

TEST_F(LedgerNodesTest, StateFileKeepsTheHostsAndDetails)
{
    samples(0, 1);
    start(1, kA);
    start(3, kB);
    samples(2, 6);
    end(6, kA);

    Ledger restored{config, clock};
    QString error;
    ASSERT_TRUE(restored.restore(ledger.toJson(), &error)) << error.toStdString();
    for (Ledger *l : {&ledger, &restored}) {
        samples(*l, 7, 9); // continuous "seq": no gap after the restore
        ControlMessage m = control(JobStatus::End, kJob, 9, kB);
        l->applyControl(m);
    }
    const JobSummary a = summary();
    const JobSummary b = restored.job(kJob).value_or(JobSummary{});
    EXPECT_FALSE(b.running);
    EXPECT_EQ(b.targetHosts, a.targetHosts);
    EXPECT_EQ(b.user, QStringLiteral("alice"));
    EXPECT_EQ(b.gpus, a.gpus);
    EXPECT_EQ(b.exitState, QStringLiteral("completed"));
    expectRelative(b.kwh, a.kwh);
    expectRelative(a.kwh * 3.6e6, 100.0 * 5 + 100.0 * 6); // a: [1,6), b: [3,9)
}
