// greenpulse-job: publishes job starts and ends (start, stop, run a command, or the demo).
#include "CommandRunner.h"
#include "ConnectionMonitor.h"
#include "JobTool.h"
#include "SimulatorSupport.h"
#include "SlurmHook.h"
#include "VisibleDevices.h"
#include "base/Logging.h"
#include "base/UnixSignals.h"
#include "base/Version.h"
#include "control/JobPublisher.h"
#include "mqtt/MosquittoClient.h"
#include "options/Options.h"
#include "protocol/Protocol.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QTextStream>
#include <unistd.h>

using namespace greenpulse;

namespace {

const char kUsage[] = "usage: greenpulse-job start NAME [--host H]\n"
                      "       greenpulse-job stop JOB_ID\n"
                      "       greenpulse-job demo [--host H]\n"
                      "       greenpulse-job run --name NAME [--host H] -- COMMAND [ARGS...]\n"
                      "         (the job holds the GPUs CUDA_VISIBLE_DEVICES lists, if set)\n"
                      "       greenpulse-job slurm-prolog | slurm-epilog   (docs/slurm.md)\n";

int usageError(const QString &message)
{
    QTextStream err(stderr);
    err << "greenpulse-job: " << message << '\n' << kUsage;
    err.flush();
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString program = QStringLiteral("greenpulse-job");
    QCoreApplication::setApplicationName(program);
    QCoreApplication::setApplicationVersion(QLatin1String(core::kVersion));

    core::Options options(program, core::Options::Mqtt | core::Options::Host);
    options.addOption(core::OptionSpec::text(QStringLiteral("name"), QStringLiteral("name"),
                                             QStringLiteral("Name of the job (run).")));
    options.addOption(core::OptionSpec::integer(
        QStringLiteral("timeout-s"), QStringLiteral("seconds"),
        QStringLiteral("How long to wait for the broker to acknowledge."), 30));
    // Checked by controlOriginForPublisher(), which also needs --username for "user".
    options.addOption(core::OptionSpec::text(
        QStringLiteral("control-topic"), QLatin1String(core::kControlTopicModes),
        QStringLiteral("Where start/end go: auto (greenpulse/control/<username> when --username "
                       "is set, else greenpulse/control), legacy, user or operators "
                       "(greenpulse/operators/control). See docs/security.md."),
        QStringLiteral("auto")));
    options.addOption(core::OptionSpec::path(
        QStringLiteral("slurm-spool"), QStringLiteral("dir"),
        QStringLiteral("slurm-prolog/-epilog: folder for the messages the broker did not "
                       "acknowledge in time; later runs send them first."),
        QLatin1String(sim::kDefaultSlurmSpool)));
    options.addOption(core::OptionSpec::path(
        QStringLiteral("scontrol"), QStringLiteral("path"),
        QStringLiteral("slurm-prolog/-epilog: the scontrol that tells the job's name and final "
                       "state (empty: do not ask)."),
        QStringLiteral("/usr/bin/scontrol")));
    options.addPositional(QStringLiteral("command"),
                          QStringLiteral("start NAME | stop JOB_ID | demo | "
                                         "run --name NAME -- COMMAND [ARGS...] | "
                                         "slurm-prolog | slurm-epilog"),
                          QStringLiteral("<command> [arguments...]"));
    int exitCode = 0;
    if (!options.parse(QCoreApplication::arguments(), &exitCode)) {
        return exitCode;
    }

    const QStringList args = options.positionalArguments();
    const QString command = args.value(0);
    bool timeoutOk = false;
    const qint64 timeoutS = options.intValue(QStringLiteral("timeout-s"), &timeoutOk);
    if (!timeoutOk || timeoutS <= 0 || timeoutS > 24 * 3600) {
        return usageError(QStringLiteral("--timeout-s must be a positive number of seconds"));
    }
    if (command == QLatin1String("start") && args.size() != 2) {
        return usageError(QStringLiteral("start takes one NAME"));
    }
    if (command == QLatin1String("stop") && args.size() != 2) {
        return usageError(QStringLiteral("stop takes one JOB_ID"));
    }
    if (command == QLatin1String("demo") && args.size() != 1) {
        return usageError(QStringLiteral("demo takes no arguments"));
    }
    const QString name = options.value(QStringLiteral("name"));
    if (command == QLatin1String("run") && (args.size() < 2 || name.isEmpty())) {
        return usageError(QStringLiteral("run needs --name NAME and a COMMAND after --"));
    }
    const bool slurmHook =
        command == QLatin1String("slurm-prolog") || command == QLatin1String("slurm-epilog");
    if (slurmHook && args.size() != 1) {
        return usageError(command + QStringLiteral(" takes no arguments (it reads Slurm's "
                                                   "environment)"));
    }
    if (command != QLatin1String("start") && command != QLatin1String("stop") &&
        command != QLatin1String("demo") && command != QLatin1String("run") && !slurmHook) {
        return usageError(command.isEmpty() ? QStringLiteral("no command")
                                            : QStringLiteral("unknown command ") + command);
    }

    // `run` runs here, so its job runs on this host; a job made with `start` or `demo` runs on
    // every host unless --host (or GREENPULSE_HOST, or the config file) names one.
    const bool hostGiven = options.isSet(core::opt::kHost);
    const QString jobHost =
        hostGiven || command == QLatin1String("run") ? options.hostName() : QString();

    // Several greenpulse-job may run at once on a host (a long `run` and a `stop`): each gets an
    // id of its own (core::ClientIds), or the broker would disconnect one for the other.
    const core::MqttOptions mqtt = sim::simulatorMqttOptions(options);
    core::MosquittoClient client(mqtt);
    sim::ConnectionMonitor monitor(client, mqtt.brokerUrl);
    core::JobPublisher publisher(client);
    const auto origin = core::controlOriginForPublisher(
        options.value(QStringLiteral("control-topic")), mqtt.username);
    if (!origin) {
        return usageError(QStringLiteral("--control-topic must be %1 (user needs --username)")
                              .arg(QLatin1String(core::kControlTopicModes)));
    }
    publisher.setOrigin(*origin);
    QTextStream out(stdout);
    const int ackTimeoutMs = static_cast<int>(timeoutS * 1000);
    core::UnixSignals unixSignals;

    // Our presence topic is cleared (not left "offline") on a clean exit: these are short-lived.
    auto quit = [&client, &app](int code) {
        if (client.state() != core::ConnectionState::Connected) {
            client.disconnectFromBroker();
            QCoreApplication::exit(code);
            return;
        }
        sim::shutDown(client, QByteArray(), sim::kFlushTimeoutMs, &app,
                      [code](bool) { QCoreApplication::exit(code); });
    };

    sim::JobTool tool(client, publisher, out, mqtt.brokerUrl, ackTimeoutMs);
    sim::CommandRunner runner(client, publisher, ackTimeoutMs);
    QObject::connect(&tool, &sim::JobTool::finished, &app, quit);
    QObject::connect(&runner, &sim::CommandRunner::finished, &app, quit);
    if (!slurmHook) { // a Slurm hook never fails its job: it keeps the message instead
        QObject::connect(&monitor, &sim::ConnectionMonitor::fatalError, &app,
                         [] { QCoreApplication::exit(1); });
    }

    sim::SlurmHook::Settings hookSettings;
    hookSettings.spoolDir = options.value(QStringLiteral("slurm-spool"));
    hookSettings.waitMs =
        options.isSet(QStringLiteral("timeout-s")) ? ackTimeoutMs : sim::kSlurmWaitS * 1000;
    hookSettings.host = hostGiven ? options.hostName() : QString();
    hookSettings.brokerUrl = mqtt.brokerUrl;
    hookSettings.scontrol = options.value(QStringLiteral("scontrol"));
    sim::SlurmHook hook(client, publisher, hookSettings);
    QObject::connect(&hook, &sim::SlurmHook::finished, &app, quit);

    if (slurmHook) {
        hook.run(command == QLatin1String("slurm-prolog") ? sim::SlurmHook::Kind::Prolog
                                                          : sim::SlurmHook::Kind::Epilog,
                 QProcessEnvironment::systemEnvironment());
    } else if (command == QLatin1String("run")) {
        QObject::connect(&unixSignals, &core::UnixSignals::terminationRequested, &runner,
                         &sim::CommandRunner::forwardSignal);
        // The GPUs the command may use are the job's (docs/accounting.md, "GPUs a job holds").
        runner.run(name, jobHost, args.mid(1),
                   sim::cudaVisibleDevices(QProcessEnvironment::systemEnvironment()));
    } else {
        QObject::connect(&unixSignals, &core::UnixSignals::terminationRequested, &tool,
                         &sim::JobTool::terminate);
        if (command == QLatin1String("start")) {
            tool.startJob(args.at(1), jobHost);
        } else if (command == QLatin1String("stop")) {
            tool.stopJob(args.at(1));
        } else {
            tool.playDemo(jobHost);
        }
    }
    return QCoreApplication::exec();
}
