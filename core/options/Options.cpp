#include "options/Options.h"

#include "base/Logging.h"
#include "base/SecurityChecks.h"
#include "base/Version.h"
#include "influx/WriterLease.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHostInfo>
#include <QSettings>
#include <QStandardPaths>
#include <cmath>
#include <cstdio>

namespace greenpulse::core {

namespace {

QString defaultConfigPath()
{
    const QString user = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
                         QStringLiteral("/greenpulse/greenpulse.conf");
    if (QFileInfo::exists(user)) {
        return user;
    }
    const QString system = QStringLiteral("/etc/greenpulse/greenpulse.conf");
    if (QFileInfo::exists(system)) {
        return system;
    }
    return {};
}

void printTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

Options::Options(QString programName, int groups) : m_programName(std::move(programName))
{
    m_env = QProcessEnvironment::systemEnvironment();
    addOption({QStringLiteral("config"),
               QStringLiteral("INI file with default values for these options (keys are the long "
                              "option names). Default: ~/.config/greenpulse/greenpulse.conf, then "
                              "/etc/greenpulse/greenpulse.conf."),
               QStringLiteral("file"), QString()});
    addOption({QStringLiteral("print-config"),
               QStringLiteral("Print every option's value and where it came from, then exit."),
               QString(), QString()});
    if (groups & Mqtt) {
        addOption({QStringLiteral("broker"),
                   QStringLiteral("MQTT broker URL: tcp://host:port, or ssl://host:port for TLS."),
                   QStringLiteral("url"), QStringLiteral("tcp://127.0.0.1:1883")});
        addOption({QStringLiteral("client-id"),
                   QStringLiteral("MQTT client id (stable across restarts). Default: "
                                  "<program>-<host>."),
                   QStringLiteral("id"), QString()});
        addOption({QStringLiteral("username"), QStringLiteral("MQTT user name."),
                   QStringLiteral("name"), QString()});
        addOption({QStringLiteral("password"),
                   QStringLiteral("MQTT password (prefer GREENPULSE_PASSWORD or the config file)."),
                   QStringLiteral("secret"), QString(), true});
        addOption({QStringLiteral("ca-file"),
                   QStringLiteral("CA certificate (PEM) to verify the broker; enables TLS."),
                   QStringLiteral("file"), QString()});
    }
    if (groups & Host) {
        addOption({QStringLiteral("host"),
                   QStringLiteral("Host name this program reports as. Default: this machine's."),
                   QStringLiteral("name"), QString()});
    }
    if (groups & Publishing) {
        addOption({QStringLiteral("interval-ms"),
                   QStringLiteral("Milliseconds between two messages."), QStringLiteral("ms"),
                   QStringLiteral("1000")});
        addOption({QStringLiteral("count"),
                   QStringLiteral("Stop after N messages (0: run until stopped)."),
                   QStringLiteral("n"), QStringLiteral("0")});
    }
    if (groups & Influx) {
        addOption({QStringLiteral("influx-url"),
                   QStringLiteral("InfluxDB base URL, e.g. http://127.0.0.1:8086. Empty: writing "
                                  "is off."),
                   QStringLiteral("url"), QString()});
        addOption({QStringLiteral("influx-api"),
                   QStringLiteral("InfluxDB write API: v1 (/write) or v2 (/api/v2/write)."),
                   QStringLiteral("v1|v2"), QStringLiteral("v1")});
        addOption({QStringLiteral("influx-org"), QStringLiteral("InfluxDB v2 organisation."),
                   QStringLiteral("org"), QString()});
        addOption({QStringLiteral("influx-bucket"), QStringLiteral("InfluxDB v2 bucket."),
                   QStringLiteral("bucket"), QStringLiteral("greenpulse_metrics")});
        addOption({QStringLiteral("influx-db"), QStringLiteral("InfluxDB v1 database."),
                   QStringLiteral("name"), QStringLiteral("greenpulse")});
        addOption({QStringLiteral("influx-rp"),
                   QStringLiteral("InfluxDB v1 retention policy (default: the database's)."),
                   QStringLiteral("name"), QString()});
        addOption({QStringLiteral("influx-token"),
                   QStringLiteral("InfluxDB v2 API token (prefer GREENPULSE_INFLUX_TOKEN). Never "
                                  "logged."),
                   QStringLiteral("token"), QString(), true});
        addOption({QStringLiteral("influx-user"), QStringLiteral("InfluxDB v1 user name."),
                   QStringLiteral("name"), QString()});
        addOption({QStringLiteral("influx-password"),
                   QStringLiteral("InfluxDB v1 password (prefer GREENPULSE_INFLUX_PASSWORD)."),
                   QStringLiteral("secret"), QString(), true});
        addOption({QStringLiteral("spool-dir"),
                   QStringLiteral("Folder for points not yet acknowledged by InfluxDB. Default: "
                                  "<data dir>/spool."),
                   QStringLiteral("dir"), QString()});
        addOption({QStringLiteral("influx-writer"),
                   QStringLiteral("When several processes write one database: auto (the longest "
                                  "running one writes, the others only view), always, or never "
                                  "(only view)."),
                   QStringLiteral("auto|always|never"), QStringLiteral("auto")});
        addOption({QStringLiteral("spool-max-mb"),
                   QStringLiteral("Spool size limit in MiB; beyond it the oldest batches are "
                                  "dropped and counted."),
                   QStringLiteral("mb"), QStringLiteral("512")});
    }
    if (groups & Ledger) {
        addOption({QStringLiteral("max-gap-s"),
                   QStringLiteral("Longest gap between two samples of a host that is still "
                                  "integrated, in seconds."),
                   QStringLiteral("seconds"), QStringLiteral("10")});
        addOption({QStringLiteral("pue"), QStringLiteral("Power usage effectiveness (>= 1)."),
                   QStringLiteral("factor"), QStringLiteral("1.0")});
        addOption({QStringLiteral("carbon-intensity"),
                   QStringLiteral("Grid carbon intensity in kg CO2e per kWh."),
                   QStringLiteral("kg/kWh"), QStringLiteral("0.632")});
        const LedgerConfig defaults;
        const auto number = [](double v) { return QString::number(v); };
        addOption({QStringLiteral("max-clock-ahead-s"),
                   QStringLiteral("A sample or control message stamped further ahead of its "
                                  "receipt time is re-stamped with it (counted as clock_skew); "
                                  "0: never."),
                   QStringLiteral("seconds"), number(defaults.maxClockAheadSeconds)});
        addOption({QStringLiteral("max-clock-behind-s"),
                   QStringLiteral("The same for timestamps further behind their receipt time."),
                   QStringLiteral("seconds"), number(defaults.maxClockBehindSeconds)});
        addOption({QStringLiteral("max-hosts"),
                   QStringLiteral("Most hosts kept in memory; samples of more are rejected "
                                  "(too_many_ids). 0: no bound."),
                   QStringLiteral("count"), number(defaults.maxHosts)});
        addOption({QStringLiteral("max-jobs"),
                   QStringLiteral("Most jobs kept in memory (running and recently ended); "
                                  "messages naming more are rejected (too_many_ids). 0: no bound."),
                   QStringLiteral("count"), number(defaults.maxJobs)});
        addOption({QStringLiteral("max-new-ids-per-minute"),
                   QStringLiteral("Rate of new host names and job ids together (a token bucket "
                                  "of one minute's worth); beyond it messages are rejected "
                                  "(id_rate_limited). 0: no limit."),
                   QStringLiteral("count"), number(defaults.maxNewIdsPerMinute)});
        addOption({QStringLiteral("host-expiry-s"),
                   QStringLiteral("A host without a sample for this long, and targeted by no "
                                  "running job, leaves memory. 0: never."),
                   QStringLiteral("seconds"), number(defaults.hostExpirySeconds)});
        addOption({QStringLiteral("state-file"),
                   QStringLiteral("Where the ledger is saved so totals survive a restart. "
                                  "Default: <data dir>/ledger.json; \"none\" disables it."),
                   QStringLiteral("file"), QString()});
        addOption({QStringLiteral("legacy-control"),
                   QStringLiteral("Control messages on the shared greenpulse/control topic: accept "
                                  "or reject (counted as not_owner). See docs/security.md."),
                   QStringLiteral("accept|reject"), QStringLiteral("accept")});
    }
}

void Options::addOption(const OptionSpec &spec)
{
    m_specs.append(spec);
}

void Options::addPositional(const QString &name, const QString &description, const QString &syntax)
{
    m_parser.addPositionalArgument(name, description, syntax);
}

void Options::setExtraLayer(std::function<QString(const QString &)> lookup)
{
    m_extra = std::move(lookup);
}

const OptionSpec *Options::find(const QString &name) const
{
    for (const OptionSpec &spec : m_specs) {
        if (spec.name == name) {
            return &spec;
        }
    }
    return nullptr;
}

QString Options::environmentName(const QString &optionName)
{
    QString upper = optionName.toUpper();
    upper.replace(QLatin1Char('-'), QLatin1Char('_'));
    return QStringLiteral("GREENPULSE_") + upper;
}

QString Options::defaultHostName()
{
    QString name = QHostInfo::localHostName();
    if (name.isEmpty()) {
        name = QStringLiteral("localhost");
    }
    return name;
}

QString Options::defaultDataDir()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (dir.isEmpty()) {
        dir = QDir::tempPath();
    }
    return dir + QStringLiteral("/greenpulse");
}

bool Options::parse(const QStringList &arguments, int *exitCode)
{
    return parse(arguments, exitCode, QProcessEnvironment::systemEnvironment());
}

bool Options::parse(const QStringList &arguments, int *exitCode, const QProcessEnvironment &env)
{
    m_env = env;
    m_parser.setApplicationDescription(
        QStringLiteral("%1 %2 - GreenPulse: energy, carbon and water per AI job.\n"
                       "Every option can also be set as a GREENPULSE_<NAME> environment variable "
                       "(e.g. --influx-token as GREENPULSE_INFLUX_TOKEN) or in the config file.")
            .arg(m_programName, QLatin1String(kVersion)));
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help = m_parser.addHelpOption();
    const QCommandLineOption version = m_parser.addVersionOption();
    m_cliOptions.clear();
    m_cliOptions.reserve(m_specs.size());
    for (const OptionSpec &spec : std::as_const(m_specs)) {
        QString description = spec.description;
        if (!spec.defaultValue.isEmpty()) {
            description += QStringLiteral(" [default: %1]").arg(spec.defaultValue);
        }
        description += QStringLiteral(" (env %1)").arg(environmentName(spec.name));
        m_cliOptions.append(spec.valueName.isEmpty()
                                ? QCommandLineOption(spec.name, description)
                                : QCommandLineOption(spec.name, description, spec.valueName));
    }
    for (const QCommandLineOption &option : std::as_const(m_cliOptions)) {
        m_parser.addOption(option);
    }
    *exitCode = 0;
    if (!m_parser.parse(arguments)) {
        printTo(
            stderr,
            QStringLiteral("%1: %2\nTry '%1 --help'.\n").arg(m_programName, m_parser.errorText()));
        *exitCode = 2;
        return false;
    }
    if (m_parser.isSet(help)) {
        printTo(stdout, m_parser.helpText());
        return false;
    }
    if (m_parser.isSet(version)) {
        printTo(stdout, QStringLiteral("%1 %2\n").arg(m_programName, QLatin1String(kVersion)));
        return false;
    }

    // The config file: --config, then GREENPULSE_CONFIG, then the default locations.
    QString config = m_parser.value(QStringLiteral("config"));
    if (config.isEmpty()) {
        config = m_env.value(environmentName(QStringLiteral("config")));
    }
    if (!config.isEmpty() && !QFileInfo::exists(config)) {
        printTo(stderr,
                QStringLiteral("%1: config file %2 does not exist\n").arg(m_programName, config));
        *exitCode = 2;
        return false;
    }
    if (config.isEmpty()) {
        config = defaultConfigPath();
    }
    if (!config.isEmpty()) {
        loadConfigFile(config);
    }

    // Validate numbers early, with a clear message.
    for (const OptionSpec &spec : std::as_const(m_specs)) {
        if (spec.valueName == QLatin1String("seconds") || spec.valueName == QLatin1String("ms") ||
            spec.valueName == QLatin1String("n") || spec.valueName == QLatin1String("factor") ||
            spec.valueName == QLatin1String("kg/kWh") || spec.valueName == QLatin1String("mb")) {
            bool ok = false;
            const double v = value(spec.name).toDouble(&ok);
            if (!ok || v < 0 || !std::isfinite(v)) {
                printTo(stderr,
                        QStringLiteral("%1: --%2 must be a non-negative number, got \"%3\" "
                                       "(from %4)\n")
                            .arg(m_programName, spec.name, value(spec.name), source(spec.name)));
                *exitCode = 2;
                return false;
            }
        }
    }
    if (find(QStringLiteral("influx-api"))) {
        const QString api = value(QStringLiteral("influx-api"));
        if (api != QLatin1String("v1") && api != QLatin1String("v2")) {
            printTo(stderr, QStringLiteral("%1: --influx-api must be v1 or v2, got \"%2\"\n")
                                .arg(m_programName, api));
            *exitCode = 2;
            return false;
        }
    }
    if (!checkChoicesAndFiles()) {
        *exitCode = 2;
        return false;
    }
    InfluxOptions::WriterMode writerMode;
    if (find(QStringLiteral("influx-writer")) &&
        !parseWriterMode(value(QStringLiteral("influx-writer")), &writerMode)) {
        printTo(stderr, QStringLiteral("%1: --influx-writer must be auto, always or never, got "
                                       "\"%2\"\n")
                            .arg(m_programName, value(QStringLiteral("influx-writer"))));
        *exitCode = 2;
        return false;
    }
    if (m_parser.isSet(QStringLiteral("print-config"))) {
        printTo(stdout, describe().join(QLatin1Char('\n')) + QLatin1Char('\n'));
        return false;
    }
    return true;
}

void Options::loadConfigFile(const QString &path)
{
    m_configFile = path;
    QSettings settings(path, QSettings::IniFormat);
    if (settings.status() != QSettings::NoError) {
        qCWarning(lcOptions) << "cannot read config file" << path;
        return;
    }
    for (const QString &key : settings.allKeys()) {
        // Keys may be written plain (broker=...) or in a [greenpulse] section.
        QString name = key;
        if (name.startsWith(QLatin1String("greenpulse/"))) {
            name = name.mid(11);
        }
        m_config.insert(name, settings.value(key).toString());
    }
    qCDebug(lcOptions) << "loaded config file" << path;
}

QString Options::source(const QString &name) const
{
    const OptionSpec *spec = find(name);
    if (!spec) {
        return QStringLiteral("unknown");
    }
    if (m_parser.isSet(name)) {
        return QStringLiteral("command line");
    }
    if (m_env.contains(environmentName(name))) {
        return QStringLiteral("environment");
    }
    if (m_extra && !m_extra(name).isEmpty()) {
        return QStringLiteral("settings");
    }
    if (m_config.contains(name)) {
        return QStringLiteral("config file");
    }
    return QStringLiteral("default");
}

QString Options::value(const QString &name) const
{
    const OptionSpec *spec = find(name);
    if (!spec) {
        qCWarning(lcOptions) << "unknown option" << name;
        return {};
    }
    if (m_parser.isSet(name)) {
        return spec->valueName.isEmpty() ? QStringLiteral("true") : m_parser.value(name);
    }
    const QString envName = environmentName(name);
    if (m_env.contains(envName)) {
        return m_env.value(envName);
    }
    if (m_extra) {
        const QString v = m_extra(name);
        if (!v.isEmpty()) {
            return v;
        }
    }
    const auto it = m_config.constFind(name);
    if (it != m_config.constEnd()) {
        return it.value();
    }
    return spec->defaultValue;
}

bool Options::isSet(const QString &name) const
{
    return source(name) != QLatin1String("default");
}

double Options::doubleValue(const QString &name, bool *ok) const
{
    return value(name).toDouble(ok);
}

qint64 Options::intValue(const QString &name, bool *ok) const
{
    bool good = false;
    const double v = value(name).toDouble(&good);
    if (ok) {
        *ok = good;
    }
    return good ? static_cast<qint64>(v) : 0;
}

bool Options::flag(const QString &name) const
{
    const QString v = value(name).trimmed().toLower();
    return v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("yes") ||
           v == QLatin1String("on");
}

QString Options::hostName() const
{
    if (find(QStringLiteral("host"))) {
        const QString host = value(QStringLiteral("host"));
        if (!host.isEmpty()) {
            return host;
        }
    }
    return defaultHostName();
}

MqttOptions Options::mqttOptions() const
{
    MqttOptions o;
    o.brokerUrl = value(QStringLiteral("broker"));
    o.clientId = value(QStringLiteral("client-id"));
    if (o.clientId.isEmpty()) {
        o.clientId = m_programName + QLatin1Char('-') + hostName();
    }
    o.username = value(QStringLiteral("username"));
    o.password = value(QStringLiteral("password"));
    o.caFile = value(QStringLiteral("ca-file"));
    return o;
}

InfluxOptions Options::influxOptions() const
{
    InfluxOptions o;
    o.url = value(QStringLiteral("influx-url"));
    o.api = value(QStringLiteral("influx-api")) == QLatin1String("v2") ? InfluxOptions::Api::V2
                                                                       : InfluxOptions::Api::V1;
    o.org = value(QStringLiteral("influx-org"));
    o.bucket = value(QStringLiteral("influx-bucket"));
    o.database = value(QStringLiteral("influx-db"));
    o.retentionPolicy = value(QStringLiteral("influx-rp"));
    o.token = value(QStringLiteral("influx-token"));
    o.username = value(QStringLiteral("influx-user"));
    o.password = value(QStringLiteral("influx-password"));
    o.spoolDir = value(QStringLiteral("spool-dir"));
    if (o.spoolDir.isEmpty()) {
        o.spoolDir = defaultDataDir() + QStringLiteral("/spool-") + m_programName;
    }
    o.spoolMaxBytes = intValue(QStringLiteral("spool-max-mb")) * 1024 * 1024;
    parseWriterMode(value(QStringLiteral("influx-writer")), &o.writerMode);
    return o;
}

LedgerConfig Options::ledgerConfig() const
{
    LedgerConfig c;
    c.maxGapSeconds = doubleValue(QStringLiteral("max-gap-s"));
    c.pue = doubleValue(QStringLiteral("pue"));
    c.carbonKgPerKwh = doubleValue(QStringLiteral("carbon-intensity"));
    c.maxClockAheadSeconds = doubleValue(QStringLiteral("max-clock-ahead-s"));
    c.maxClockBehindSeconds = doubleValue(QStringLiteral("max-clock-behind-s"));
    c.maxHosts = static_cast<int>(intValue(QStringLiteral("max-hosts")));
    c.maxJobs = static_cast<int>(intValue(QStringLiteral("max-jobs")));
    c.maxNewIdsPerMinute = doubleValue(QStringLiteral("max-new-ids-per-minute"));
    c.hostExpirySeconds = doubleValue(QStringLiteral("host-expiry-s"));
    return c;
}

QString Options::stateFile() const
{
    const QString v = value(QStringLiteral("state-file"));
    if (v == QLatin1String("none")) {
        return {};
    }
    if (v.isEmpty()) {
        return defaultDataDir() + QStringLiteral("/ledger-") + m_programName +
               QStringLiteral(".json");
    }
    return v;
}

bool Options::checkChoicesAndFiles() const
{
    if (find(QStringLiteral("legacy-control"))) {
        const QString mode = value(QStringLiteral("legacy-control"));
        if (mode != QLatin1String("accept") && mode != QLatin1String("reject")) {
            printTo(stderr, QStringLiteral("%1: --legacy-control must be accept or reject, got "
                                           "\"%2\"\n")
                                .arg(m_programName, mode));
            return false;
        }
    }
    // A TLS file that cannot work stops the program now, with its path, rather than as a "TLS
    // error" retried forever. The GUI's own settings are checked by its MQTT client instead.
    const QString caFile = QStringLiteral("ca-file");
    if (find(caFile) && !value(caFile).isEmpty() && source(caFile) != QLatin1String("settings")) {
        if (const auto problem = pemFileProblem(value(caFile))) {
            printTo(stderr, QStringLiteral("%1: --ca-file: %2 (from %3)\n")
                                .arg(m_programName, *problem, source(caFile)));
            return false;
        }
    }
    return true;
}

bool Options::acceptLegacyControl() const
{
    return value(QStringLiteral("legacy-control")) != QLatin1String("reject");
}

QStringList Options::describe() const
{
    QStringList lines;
    for (const OptionSpec &spec : m_specs) {
        if (spec.name == QLatin1String("print-config")) {
            continue;
        }
        QString v = value(spec.name);
        if (spec.secret && !v.isEmpty()) {
            v = QStringLiteral("********");
        } else if (spec.valueName == QLatin1String("url")) {
            v = redactUrl(v); // --broker, --influx-url: user:password@ hides the password
        }
        lines << QStringLiteral("%1=%2  (%3)").arg(spec.name, v, source(spec.name));
    }
    if (!m_configFile.isEmpty()) {
        lines << QStringLiteral("# config file: %1").arg(m_configFile);
    }
    return lines;
}

} // namespace greenpulse::core
