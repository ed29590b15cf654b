// Slurm's Prolog and Epilog (docs/slurm.md): `greenpulse-job slurm-prolog` / `slurm-epilog` read
// Slurm's environment, publish the job's start and end with its details, and never fail or hang
// when the broker is away (the message waits in a spool folder for a later run). The last tests run
// a real one-node Slurm from Debian (SlurmCluster) whose Prolog/Epilog call greenpulse-job, and
// read the processor's summary.
#include "ControlSpool.h"
#include "MosquittoBroker.h"
#include "SlurmCluster.h"
#include "SlurmJob.h"
#include "protocol/Protocol.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse;
using namespace greenpulse::core;
using namespace greenpulse::test;
using greenpulse::sim::SlurmJob;

namespace {

QProcessEnvironment environment(const QStringList &pairs)
{
    QProcessEnvironment env;
    for (const QString &pair : pairs) {
        env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
    }
    return env;
}

// What slurmd 22.05 gave the Prolog/Epilog of a real job (seen on Debian 12's Slurm).
const QStringList kPrologEnv = {QStringLiteral("SLURMD_NODENAME=gpnode1"),
                                QStringLiteral("SLURM_CLUSTER_NAME=gptest"),
                                QStringLiteral("SLURM_JOBID=6"),
                                QStringLiteral("SLURM_JOB_ID=6"),
                                QStringLiteral("SLURM_JOB_NUM_NODES=1"),
                                QStringLiteral("SLURM_JOB_USER=root"),
                                QStringLiteral("SLURM_JOB_UID=0"),
                                QStringLiteral("SLURM_SCRIPT_CONTEXT=prolog_slurmd")};

QString scontrolLine(const char *name, const char *state, const char *reason, const char *exit)
{
    return QStringLiteral("JobId=6 JobName=%1 UserId=root(0) GroupId=root(0) MCS_label=N/A "
                          "Priority=1 JobState=%2 Reason=%3 Dependency=(null) ExitCode=%4 "
                          "NodeList=gpnode1")
        .arg(QLatin1String(name), QLatin1String(state), QLatin1String(reason), QLatin1String(exit));
}

QStringList hookArgs(const QString &command, const QString &brokerUrl, const QString &spool)
{
    return {command,
            QStringLiteral("--config"),
            QStringLiteral("/dev/null"),
            QStringLiteral("--broker"),
            brokerUrl,
            QStringLiteral("--slurm-spool"),
            spool,
            QStringLiteral("--timeout-s"),
            QStringLiteral("2"),
            QStringLiteral("--scontrol"),
            QString()};
}

QList<ControlMessage> controls(MosquittoSubscriber &wire)
{
    QList<ControlMessage> out;
    for (const auto &[topic, payload] : wire.messages()) {
        const Decoded d = decode(topic, payload, 0);
        if (const auto *c = std::get_if<ControlMessage>(&d)) {
            out << *c;
        }
    }
    return out;
}

} // namespace

TEST(SlurmJob, ReadsSlurmdsEnvironment)
{
    QString error;
    const auto job = SlurmJob::fromEnvironment(
        environment(kPrologEnv + QStringList{QStringLiteral("SLURM_JOB_GPUS=0,3")}), &error);
    ASSERT_TRUE(job.has_value()) << error.toStdString();
    EXPECT_EQ(job->greenpulseJobId(), QStringLiteral("slurm-gptest-6"));
    const ControlMessage start = job->startMessage(1);
    EXPECT_EQ(start.status, JobStatus::Start);
    EXPECT_EQ(start.host, QStringLiteral("gpnode1"));
    EXPECT_EQ(start.user, QStringLiteral("root"));
    EXPECT_EQ(start.gpus, (QStringList{QStringLiteral("0"), QStringLiteral("3")}));

    const auto cuda = SlurmJob::fromEnvironment(
        environment(kPrologEnv + QStringList{QStringLiteral("CUDA_VISIBLE_DEVICES=GPU-aa,GPU-bb")}),
        &error);
    EXPECT_EQ(cuda->gpus, (QStringList{QStringLiteral("GPU-aa"), QStringLiteral("GPU-bb")}));

    EXPECT_FALSE(SlurmJob::fromEnvironment(environment({}), &error).has_value());
    EXPECT_TRUE(error.contains(QLatin1String("SLURM_JOB_ID"))) << error.toStdString();
    EXPECT_FALSE(
        SlurmJob::fromEnvironment(environment({QStringLiteral("SLURM_JOB_ID=x;rm")}), &error));
}

TEST(SlurmJob, TellsHowItEndedFromScontrol)
{
    struct Case
    {
        const char *state;
        const char *reason;
        const char *exit;
        const char *expectedState;
        int expectedCode;
    };
    // The epilog sees JobState=COMPLETING; Reason and ExitCode tell the rest (Slurm 22.05).
    const Case cases[] = {{"COMPLETING", "None", "0:0", "completed", 0},
                          {"COMPLETING", "NonZeroExitCode", "3:0", "failed", 3},
                          {"COMPLETING", "None", "0:15", "cancelled", 143},
                          {"COMPLETING", "TimeLimit", "0:15", "timeout", 143},
                          {"COMPLETING", "None", "0:11", "failed", 139},
                          {"CANCELLED", "None", "0:9", "cancelled", 137}};
    for (const Case &c : cases) {
        QString error;
        auto job = SlurmJob::fromEnvironment(environment(kPrologEnv), &error);
        ASSERT_TRUE(job->takeScontrol(scontrolLine("my job", c.state, c.reason, c.exit)));
        EXPECT_EQ(job->name, QStringLiteral("my job"));
        const ControlMessage end = job->endMessage(1);
        EXPECT_EQ(end.exitState, QLatin1String(c.expectedState)) << c.reason << ' ' << c.exit;
        EXPECT_EQ(end.exitCode, std::optional<int>(c.expectedCode)) << c.exit;
    }
    QString error;
    auto withGres = SlurmJob::fromEnvironment(environment(kPrologEnv), &error);
    ASSERT_TRUE(withGres->takeScontrol(scontrolLine("g", "RUNNING", "None", "0:0") +
                                       QStringLiteral(" JOB_GRES=gpu:3 Nodes=gpnode1 CPU_IDs=0 "
                                                      "Mem=0 GRES=gpu:3(IDX:0-1,5)")));
    EXPECT_EQ(withGres->gpus,
              (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("5")}));
    auto other = SlurmJob::fromEnvironment(environment(kPrologEnv), &error);
    EXPECT_FALSE(other->takeScontrol(QStringLiteral("JobId=7 JobName=x UserId=root(0)")));
    // Without scontrol: the environment's exit code (0:0 also for a cancelled job) and no state.
    auto envOnly = SlurmJob::fromEnvironment(
        environment(kPrologEnv + QStringList{QStringLiteral("SLURM_JOB_EXIT_CODE2=0:0")}), &error);
    EXPECT_TRUE(envOnly->endMessage(1).exitState.isEmpty());
    auto failed = SlurmJob::fromEnvironment(
        environment(kPrologEnv + QStringList{QStringLiteral("SLURM_JOB_EXIT_CODE=768")}), &error);
    EXPECT_EQ(failed->endMessage(1).exitCode, std::optional<int>(3));
    EXPECT_EQ(failed->endMessage(1).exitState, QStringLiteral("failed"));
}

TEST(SlurmHooks, BrokerAwayTheHookExitsZeroSoonAndALaterRunSendsItFirst)
{
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    const QString url = broker.url();
    broker.stop();
    QTemporaryDir dir;
    const QString spool = dir.filePath(QStringLiteral("spool"));
    const QString job = binary(QStringLiteral("greenpulse-job"));

    const ProcessResult prolog =
        run(job, hookArgs(QStringLiteral("slurm-prolog"), url, spool), 20000, kPrologEnv);
    EXPECT_EQ(prolog.exitCode, 0) << prolog.err.toStdString();
    EXPECT_FALSE(prolog.timedOut);
    EXPECT_TRUE(prolog.err.contains("did not acknowledge the start of job slurm-gptest-6"))
        << prolog.err.toStdString();
    EXPECT_TRUE(prolog.err.contains("kept in")) << prolog.err.toStdString();
    ASSERT_EQ(sim::ControlSpool(spool).pending().size(), 1u);

    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    MosquittoSubscriber wire;
    ASSERT_TRUE(wire.start(broker.url(), QStringLiteral("greenpulse/control/#")));
    spin(300);
    const ProcessResult epilog =
        run(job, hookArgs(QStringLiteral("slurm-epilog"), url, spool), 20000,
            kPrologEnv + QStringList{QStringLiteral("SLURM_JOB_EXIT_CODE2=3:0")});
    EXPECT_EQ(epilog.exitCode, 0) << epilog.err.toStdString();
    EXPECT_TRUE(epilog.err.contains("sent 1 message(s) kept in")) << epilog.err.toStdString();
    EXPECT_TRUE(sim::ControlSpool(spool).pending().empty());
    ASSERT_TRUE(waitUntil([&] { return controls(wire).size() >= 2; }, 10000));
    const QList<ControlMessage> sent = controls(wire);
    EXPECT_EQ(sent[0].status, JobStatus::Start); // the spooled start first, with its own time
    EXPECT_EQ(sent[1].status, JobStatus::End);
    EXPECT_LT(sent[0].timestampNs, sent[1].timestampNs);
    EXPECT_EQ(sent[1].exitCode, std::optional<int>(3));
    EXPECT_EQ(sent[1].exitState, QStringLiteral("failed"));
}

TEST(SlurmHooks, OutsideSlurmItSaysSoAndExitsZero)
{
    QTemporaryDir dir;
    const ProcessResult r =
        run(binary(QStringLiteral("greenpulse-job")),
            hookArgs(QStringLiteral("slurm-prolog"), QStringLiteral("tcp://127.0.0.1:1"),
                     dir.filePath(QStringLiteral("spool"))),
            20000, {QStringLiteral("SLURM_JOB_ID=")});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.err.contains("SLURM_JOB_ID is not set")) << r.err.toStdString();

    // On the controller (PrologSlurmctld) there is no node: nothing rather than "every host".
    const ProcessResult ctld =
        run(binary(QStringLiteral("greenpulse-job")),
            hookArgs(QStringLiteral("slurm-prolog"), QStringLiteral("tcp://127.0.0.1:1"),
                     dir.filePath(QStringLiteral("spool"))),
            20000,
            {QStringLiteral("SLURM_JOB_ID=6"), QStringLiteral("SLURMD_NODENAME="),
             QStringLiteral("SLURM_SCRIPT_CONTEXT=prolog_slurmctld")});
    EXPECT_EQ(ctld.exitCode, 0);
    EXPECT_TRUE(ctld.err.contains("SLURMD_NODENAME is not set")) << ctld.err.toStdString();
    EXPECT_TRUE(sim::ControlSpool(dir.filePath(QStringLiteral("spool"))).pending().empty());
}

TEST(SlurmCluster, BatchJobsAppearInTheProcessorsSummaryWithSlurmsIdUserAndExitState)
{
    const QString why = SlurmCluster::unavailableReason();
    if (!why.isEmpty()) {
        GTEST_SKIP() << "no real Slurm here: " << why.toStdString();
    }
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    MosquittoSubscriber wire;
    ASSERT_TRUE(wire.start(broker.url(), QStringLiteral("greenpulse/control/#")));
    QTemporaryDir dir;
    const QString node = QStringLiteral("gpnode1");

    Child processor;
    ASSERT_TRUE(
        processor.start(binary(QStringLiteral("greenpulse-processor")),
                        {QStringLiteral("--broker"), broker.url(), QStringLiteral("--state-file"),
                         dir.filePath(QStringLiteral("ledger.json")), QStringLiteral("--config"),
                         QStringLiteral("/dev/null")}));
    ASSERT_TRUE(waitUntil([&] { return processor.readStderr().contains("MQTT connected"); }, 15000))
        << processor.readStderr().toStdString();
    Child agent; // the node's power, simulated
    ASSERT_TRUE(agent.start(binary(QStringLiteral("greenpulse-host-agent")),
                            {QStringLiteral("--broker"), broker.url(), QStringLiteral("--host"),
                             node, QStringLiteral("--interval-ms"), QStringLiteral("200"),
                             QStringLiteral("--source"), QStringLiteral("sim"),
                             QStringLiteral("--config"), QStringLiteral("/dev/null")}));

    SlurmCluster slurm;
    SlurmCluster::Config config;
    config.nodeName = node;
    config.prolog =
        SlurmCluster::writeHook(dir.path(), QStringLiteral("slurm-prolog"), broker.url());
    config.epilog =
        SlurmCluster::writeHook(dir.path(), QStringLiteral("slurm-epilog"), broker.url());
    config.gpus = 2;
    ASSERT_TRUE(slurm.start(config)) << slurm.lastError().toStdString();

    const QString ok =
        slurm.sbatch({QStringLiteral("--job-name=train ok"), QStringLiteral("--gres=gpu:1"),
                      QStringLiteral("--wrap=sleep 3")});
    const QString failing = slurm.sbatch(
        {QStringLiteral("--job-name=fails"), QStringLiteral("--wrap=sleep 1; exit 3")});
    const QString cancelled =
        slurm.sbatch({QStringLiteral("--job-name=cancelled"), QStringLiteral("--wrap=sleep 120")});
    ASSERT_FALSE(ok.isEmpty() || failing.isEmpty() || cancelled.isEmpty())
        << slurm.lastError().toStdString();
    ASSERT_TRUE(
        waitUntil([&] { return slurm.jobState(cancelled) == QLatin1String("RUNNING"); }, 30000))
        << slurm.jobState(cancelled).toStdString() << slurm.logs().toStdString();
    spin(2000);
    ASSERT_TRUE(slurm.scancel(cancelled));
    for (const QString &id : {ok, failing, cancelled}) {
        ASSERT_TRUE(slurm.waitUntilDone(id, 60000))
            << id.toStdString() << slurm.logs().toStdString();
    }
    // Every epilog has published its end.
    ASSERT_TRUE(waitUntil(
        [&] {
            int ends = 0;
            for (const ControlMessage &c : controls(wire)) {
                ends += c.status == JobStatus::End ? 1 : 0;
            }
            return ends >= 3;
        },
        30000))
        << readAll(dir.filePath(QStringLiteral("hooks.log"))).toStdString();
    spin(1000); // a sample after the last end, so its tail is integrated
    EXPECT_EQ(slurm.nodeState(), QStringLiteral("idle")) << "no hook failed the node";
    ASSERT_TRUE(processor.terminate(20000));
    agent.terminate();

    const QJsonObject summary = QJsonDocument::fromJson(processor.readStdout()).object();
    struct Expected
    {
        QString slurmId;
        const char *name;
        const char *state;
        int exitCode;
    };
    for (const Expected &e :
         {Expected{ok, "train ok", "completed", 0}, Expected{failing, "fails", "failed", 3},
          Expected{cancelled, "cancelled", "cancelled", 143}}) {
        const QString id = QStringLiteral("slurm-gptest-") + e.slurmId;
        const QJsonObject job = jobIn(summary, id);
        ASSERT_FALSE(job.isEmpty())
            << id.toStdString() << " not in " << processor.readStdout().toStdString();
        EXPECT_EQ(job.value(QLatin1String("status")).toString(), QStringLiteral("ended"));
        EXPECT_EQ(job.value(QLatin1String("user")).toString(), QStringLiteral("root"));
        EXPECT_EQ(job.value(QLatin1String("name")).toString(), QLatin1String(e.name));
        EXPECT_EQ(job.value(QLatin1String("exit_state")).toString(), QLatin1String(e.state))
            << id.toStdString();
        EXPECT_EQ(job.value(QLatin1String("exit_code")).toInt(-1), e.exitCode) << id.toStdString();
        EXPECT_EQ(job.value(QLatin1String("target_host")).toString(), node);
        const double start = job.value(QLatin1String("start")).toDouble();
        const double end = job.value(QLatin1String("end")).toDouble();
        EXPECT_GT(start, 0);
        EXPECT_GT(end, start);
        EXPECT_GT(job.value(QLatin1String("kwh")).toDouble(), 0.0) << id.toStdString();
        EXPECT_EQ(job.value(QLatin1String("hosts")).toArray(), QJsonArray{node});
    }
    const QJsonObject gpus = jobIn(summary, QStringLiteral("slurm-gptest-") + ok)
                                 .value(QLatin1String("gpus"))
                                 .toObject();
    EXPECT_EQ(gpus.value(node).toArray().size(), 1)
        << "SLURM_JOB_GPUS of a --gres=gpu:1 job; the last prolog got:\n"
        << readAll(dir.filePath(QStringLiteral("slurm-prolog-%1.env").arg(ok))).toStdString();
}

TEST(SlurmCluster, WithTheBrokerAwayJobsStillRunAndTheirMessagesArriveLater)
{
    const QString why = SlurmCluster::unavailableReason();
    if (!why.isEmpty()) {
        GTEST_SKIP() << "no real Slurm here: " << why.toStdString();
    }
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    const QString url = broker.url();
    broker.stop();
    QTemporaryDir dir;
    SlurmCluster slurm;
    SlurmCluster::Config config;
    config.prolog = SlurmCluster::writeHook(dir.path(), QStringLiteral("slurm-prolog"), url);
    config.epilog = SlurmCluster::writeHook(dir.path(), QStringLiteral("slurm-epilog"), url);
    ASSERT_TRUE(slurm.start(config)) << slurm.lastError().toStdString();

    const QString away =
        slurm.sbatch({QStringLiteral("--job-name=away"), QStringLiteral("--wrap=true")});
    ASSERT_FALSE(away.isEmpty()) << slurm.lastError().toStdString();
    ASSERT_TRUE(slurm.waitUntilDone(away, 60000)) << slurm.logs().toStdString();
    EXPECT_EQ(slurm.jobState(away), QStringLiteral("COMPLETED")) << "the prolog did not fail it";
    EXPECT_EQ(slurm.nodeState(), QStringLiteral("idle")) << slurm.logs().toStdString();
    const QString hooksLog = readAll(dir.filePath(QStringLiteral("hooks.log")));
    EXPECT_TRUE(hooksLog.contains(
        QStringLiteral("did not acknowledge the start of job slurm-gptest-") + away))
        << hooksLog.toStdString();
    EXPECT_EQ(sim::ControlSpool(dir.filePath(QStringLiteral("gp-spool"))).pending().size(), 2u);

    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    MosquittoSubscriber wire;
    ASSERT_TRUE(wire.start(broker.url(), QStringLiteral("greenpulse/control/#")));
    spin(300);
    const QString next =
        slurm.sbatch({QStringLiteral("--job-name=next"), QStringLiteral("--wrap=true")});
    ASSERT_TRUE(slurm.waitUntilDone(next, 60000));
    ASSERT_TRUE(waitUntil([&] { return controls(wire).size() >= 4; }, 20000))
        << readAll(dir.filePath(QStringLiteral("hooks.log"))).toStdString();
    const QList<ControlMessage> sent = controls(wire);
    EXPECT_EQ(sent[0].jobId, QStringLiteral("slurm-gptest-") + away); // the spooled ones first
    EXPECT_EQ(sent[0].status, JobStatus::Start);
    EXPECT_EQ(sent[1].jobId, QStringLiteral("slurm-gptest-") + away);
    EXPECT_EQ(sent[1].status, JobStatus::End);
    EXPECT_EQ(sent[2].jobId, QStringLiteral("slurm-gptest-") + next);
    EXPECT_TRUE(sim::ControlSpool(dir.filePath(QStringLiteral("gp-spool"))).pending().empty());
}

TEST(SlurmHooks, HostOptionNamesTheNodeWhenTheHostAgentUsesAnotherName)
{
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    MosquittoSubscriber wire;
    ASSERT_TRUE(wire.start(broker.url(), QStringLiteral("greenpulse/control/#")));
    spin(300);
    QTemporaryDir dir;
    const ProcessResult r = run(
        binary(QStringLiteral("greenpulse-job")),
        hookArgs(QStringLiteral("slurm-prolog"), broker.url(), dir.filePath(QStringLiteral("s"))) +
            QStringList{QStringLiteral("--host"), QStringLiteral("gpnode1.example.org")},
        20000, kPrologEnv);
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    ASSERT_TRUE(waitUntil([&] { return !controls(wire).isEmpty(); }, 10000));
    EXPECT_EQ(controls(wire).at(0).host, QStringLiteral("gpnode1.example.org"));
    EXPECT_EQ(controls(wire).at(0).jobId, QStringLiteral("slurm-gptest-6"));
}
