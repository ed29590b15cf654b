#pragma once

// The frame of a periodic simulator's main() (greenpulse-host-agent, greenpulse-sensor-sim): the
// program's name and version, its command line (MQTT, host and publishing options), its MQTT
// options with presence, and running its simulator until it is over, with a clean shutdown.

#include "SimulatorSupport.h"
#include "mqtt/MqttClient.h"
#include "options/Options.h"

#include <QObject>
#include <QString>
#include <functional>

namespace greenpulse::sim {

class ConnectionMonitor;

class PublisherProgram
{
public:
    explicit PublisherProgram(const QString &program); // names the application (and its version)

    // Adds a program's own option (e.g. the host agent's --source); call before parse().
    void addOption(const core::OptionSpec &spec) { m_options.addOption(spec); }
    const core::Options &options() const { return m_options; }

    // Parses the command line; false when the program should exit with exitCode() (after --help,
    // --version, or an invalid option, which it printed).
    bool parse();
    int exitCode() const { return m_exitCode; }

    const PublishSettings &settings() const { return m_settings; }
    // The command line's MQTT options, the client id <program>-<host> (-2, -3... while another
    // instance runs) unless one is given, with presence (simulatorMqttOptions()).
    core::MqttOptions mqttOptions() const;

    // Starts `simulator` (start(), stop(), signal finished()) and runs the event loop until the
    // program is over: SIGINT/SIGTERM stop the simulator; once it has finished, "offline" is
    // published on the status topic, flushed, and the program exits 0; a client that gives up
    // (`monitor`'s fatalError) exits 1. Returns the exit code.
    template <typename Simulator>
    int run(Simulator &simulator, core::MqttClient &client, ConnectionMonitor &monitor)
    {
        QObject::connect(&simulator, &Simulator::finished, &simulator,
                         [&client] { shutDownAndExit(client); });
        return exec(
            monitor, [&simulator] { simulator.start(); }, [&simulator] { simulator.stop(); });
    }

private:
    static void shutDownAndExit(core::MqttClient &client);
    static int exec(ConnectionMonitor &monitor, const std::function<void()> &start,
                    const std::function<void()> &stop);

    QString m_program;
    core::Options m_options;
    PublishSettings m_settings;
    int m_exitCode = 0;
};

} // namespace greenpulse::sim
