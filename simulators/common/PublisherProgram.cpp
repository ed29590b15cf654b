#include "PublisherProgram.h"

#include "ConnectionMonitor.h"
#include "base/Logging.h"
#include "base/UnixSignals.h"
#include "base/Version.h"

#include <QCoreApplication>

namespace greenpulse::sim {

PublisherProgram::PublisherProgram(const QString &program)
    : m_program(program),
      m_options(program, core::Options::Mqtt | core::Options::Host | core::Options::Publishing)
{
    QCoreApplication::setApplicationName(program);
    QCoreApplication::setApplicationVersion(QLatin1String(core::kVersion));
}

bool PublisherProgram::parse()
{
    if (!m_options.parse(QCoreApplication::arguments(), &m_exitCode)) {
        return false;
    }
    m_settings.host = m_options.hostName();
    if (!readPublishingOptions(m_options, &m_settings.intervalMs, &m_settings.count)) {
        m_exitCode = 2;
        return false;
    }
    return true;
}

core::MqttOptions PublisherProgram::mqttOptions() const
{
    return simulatorMqttOptions(m_options);
}

void PublisherProgram::shutDownAndExit(core::MqttClient &client)
{
    shutDown(client, "offline", kFlushTimeoutMs, QCoreApplication::instance(),
             [](bool) { QCoreApplication::exit(0); });
}

int PublisherProgram::exec(ConnectionMonitor &monitor, const std::function<void()> &start,
                           const std::function<void()> &stop)
{
    core::UnixSignals unixSignals;
    QObject::connect(&unixSignals, &core::UnixSignals::terminationRequested, &unixSignals,
                     [&stop](int signalNumber) {
                         qCInfo(lcSim) << "signal" << signalNumber << "- stopping";
                         stop();
                     });
    QObject::connect(&monitor, &ConnectionMonitor::fatalError, QCoreApplication::instance(),
                     [] { QCoreApplication::exit(1); });
    start();
    return QCoreApplication::exec();
}

} // namespace greenpulse::sim
