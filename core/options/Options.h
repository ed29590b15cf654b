#pragma once

// One shared definition of every program's options. Each value is resolved in this order:
// command line, then GREENPULSE_<NAME> environment variable (e.g. --influx-token ->
// GREENPULSE_INFLUX_TOKEN), then the config file (INI, same key names), then the default.
// The GUI may add its QSettings as an extra layer between the environment and the config file.
// The options every program shares, with their kinds, bounds and defaults, are one table
// (OptionTable.h); each value, from whichever layer, is checked against its row.

#include "accounting/LedgerConfig.h"
#include "influx/InfluxOptions.h"
#include "mqtt/MqttClient.h"
#include "options/ClientIds.h"
#include "options/OptionNames.h"
#include "options/OptionSpec.h"
#include "pipeline/LedgerPublisher.h"

#include <QCommandLineParser>
#include <QHash>
#include <QProcessEnvironment>
#include <QStringList>
#include <functional>
#include <memory>

namespace greenpulse::core {

class Options
{
public:
    enum Group {
        Mqtt = 0x01,       // --broker --client-id --username --password --ca-file
        Host = 0x02,       // --host
        Publishing = 0x04, // --interval-ms --count
        Influx = 0x08,     // --influx-* --spool-dir
        Ledger = 0x10,     // --max-gap-s --pue --carbon-intensity --state-file --legacy-control
        LedgerFeed = 0x20, // --processor-name --ledger-interval-s (greenpulse-processor)
        Follow = 0x40,     // --follow (the dashboard)
    };

    // `programName` is used for the default client id and in the help text.
    Options(QString programName, int groups);

    // Adds a program-specific option (it takes part in the same precedence rules and checks).
    void addOption(const OptionSpec &spec);
    // Positional arguments, for --help only.
    void addPositional(const QString &name, const QString &description, const QString &syntax = {});

    // Parses `arguments` (argv, program name first). Handles --help and --version by printing
    // and returning false with *exitCode set to 0. On an error prints it (stderr) and returns
    // false with *exitCode 2. `env` defaults to the process environment.
    bool parse(const QStringList &arguments, int *exitCode);
    bool parse(const QStringList &arguments, int *exitCode, const QProcessEnvironment &env);

    // Extra layer (e.g. the GUI's QSettings), consulted after the environment and before the
    // config file. Returns an empty QString for "not set".
    void setExtraLayer(std::function<QString(const QString &name)> lookup);

    QString value(const QString &name) const;
    bool isSet(const QString &name) const; // set by any layer other than the default
    // Where the value came from: "command line", "environment", "settings", "config file" or
    // "default".
    QString source(const QString &name) const;
    double doubleValue(const QString &name, bool *ok = nullptr) const;
    qint64 intValue(const QString &name, bool *ok = nullptr) const;
    bool flag(const QString &name) const;
    // An Enum option's value as spelled in its choices ("V2 " -> "v2").
    QString choice(const QString &name) const;
    QStringList positionalArguments() const { return m_parser.positionalArguments(); }
    QString configFile() const { return m_configFile; }

    // The client id is --client-id, or this instance's own default (ClientIds): the same for
    // every call of this object.
    MqttOptions mqttOptions() const;
    InfluxOptions influxOptions() const;
    LedgerConfig ledgerConfig() const;
    QString hostName() const;
    QString stateFile() const;
    bool acceptLegacyControl() const; // --legacy-control accept (default) or reject
    // --processor-name (default: this machine's host name) and --ledger-interval-s.
    LedgerPublisherOptions ledgerPublisherOptions() const;
    // --follow: the processor whose ledger the dashboard shows; empty: its own processor.
    QString followProcessor() const;

    // One line per option with its value and source, secrets masked; for --print-config and logs.
    QStringList describe() const;

    static QString
    environmentName(const QString &optionName); // "influx-token" -> GREENPULSE_INFLUX_TOKEN
    static QString defaultHostName();
    const QList<OptionSpec> &specs() const { return m_specs; }
    const OptionSpec *spec(const QString &name) const; // nullptr: not an option of this program
    QString programName() const { return m_programName; }

private:
    void loadConfigFile(const QString &path);
    bool checkValues() const; // kinds, bounds and files; prints the problem; false: exit code 2

    QString m_programName;
    QList<OptionSpec> m_specs;
    QList<QCommandLineOption> m_cliOptions;
    QCommandLineParser m_parser;
    QProcessEnvironment m_env;
    QHash<QString, QString> m_config;
    QString m_configFile;
    std::function<QString(const QString &)> m_extra;
    mutable std::unique_ptr<ClientIds> m_clientIds; // made on the first default id
};

} // namespace greenpulse::core
