#include "options/Options.h"

#include "accounting/StateFile.h"
#include "base/Logging.h"
#include "base/SecurityChecks.h"
#include "base/Version.h"
#include "influx/WriterLease.h"
#include "options/FootprintSections.h"
#include "options/OptionNames.h"
#include "options/OptionTable.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHostInfo>
#include <QSettings>
#include <cstdio>

namespace greenpulse::core {

namespace {

QString defaultConfigPath()
{
    const QString user = userConfigFile();
    if (QFileInfo::exists(user)) {
        return user;
    }
    const QString system = kSystemConfigFile;
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
    for (const OptionSpec &spec : sharedOptionTable(m_programName)) {
        if (spec.group == 0 || (groups & spec.group)) {
            addOption(spec);
        }
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

const OptionSpec *Options::spec(const QString &name) const
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
        m_cliOptions.append(spec.isFlag()
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
    QString config = m_parser.value(opt::kConfig);
    if (config.isEmpty()) {
        config = m_env.value(environmentName(opt::kConfig));
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

    if (!checkValues()) {
        *exitCode = 2;
        return false;
    }
    if (m_parser.isSet(opt::kPrintConfig)) {
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
    if (!spec(name)) {
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
    const OptionSpec *row = spec(name);
    if (!row) {
        qCWarning(lcOptions) << "unknown option" << name;
        return {};
    }
    if (m_parser.isSet(name)) {
        return row->isFlag() ? QStringLiteral("true") : m_parser.value(name);
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
    return row->defaultValue;
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

QString Options::choice(const QString &name) const
{
    const OptionSpec *row = spec(name);
    return row ? row->canonicalChoice(value(name)) : QString();
}

bool Options::flag(const QString &name) const
{
    const QString v = value(name).trimmed().toLower();
    return v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("yes") ||
           v == QLatin1String("on");
}

QString Options::hostName() const
{
    if (spec(opt::kHost)) {
        const QString host = value(opt::kHost);
        if (!host.isEmpty()) {
            return host;
        }
    }
    return defaultHostName();
}

LedgerPublisherOptions Options::ledgerPublisherOptions() const
{
    LedgerPublisherOptions o;
    if (spec(opt::kProcessorName)) {
        o.processorName = value(opt::kProcessorName).trimmed();
    }
    if (o.processorName.isEmpty()) {
        o.processorName = defaultHostName();
    }
    if (spec(opt::kLedgerIntervalS)) {
        o.intervalMs = static_cast<int>(qRound(doubleValue(opt::kLedgerIntervalS) * 1000));
    }
    return o;
}

QString Options::followProcessor() const
{
    return spec(opt::kFollow) ? value(opt::kFollow).trimmed() : QString();
}

MqttOptions Options::mqttOptions() const
{
    MqttOptions o;
    o.brokerUrl = value(opt::kBroker);
    o.clientId = value(opt::kClientId);
    if (o.clientId.isEmpty()) {
        if (!m_clientIds) {
            m_clientIds = std::make_unique<ClientIds>();
        }
        o.clientId = m_clientIds->claim(ClientIds::base(m_programName, hostName()), o.brokerUrl);
    }
    o.username = value(opt::kUsername);
    o.password = value(opt::kPassword);
    o.caFile = value(opt::kCaFile);
    return o;
}

InfluxOptions Options::influxOptions() const
{
    InfluxOptions o;
    o.url = value(opt::kInfluxUrl);
    o.api = choice(opt::kInfluxApi) == QLatin1String("v2") ? InfluxOptions::Api::V2
                                                           : InfluxOptions::Api::V1;
    o.org = value(opt::kInfluxOrg);
    o.bucket = value(opt::kInfluxBucket);
    o.database = value(opt::kInfluxDb);
    o.retentionPolicy = value(opt::kInfluxRp);
    o.token = value(opt::kInfluxToken);
    o.username = value(opt::kInfluxUser);
    o.password = value(opt::kInfluxPassword);
    o.spoolDir = value(opt::kSpoolDir);
    if (o.spoolDir.isEmpty()) {
        o.spoolDir = InfluxOptions::defaultSpoolDir(m_programName);
    }
    o.spoolMaxBytes = intValue(opt::kSpoolMaxMb) * 1024 * 1024;
    parseWriterMode(choice(opt::kInfluxWriter), &o.writerMode);
    return o;
}

LedgerConfig Options::ledgerConfig() const
{
    LedgerConfig c;
    c.maxGapSeconds = doubleValue(opt::kMaxGapS);
    c.pue = doubleValue(opt::kPue);
    c.carbonKgPerKwh = doubleValue(opt::kCarbonIntensity);
    c.maxClockAheadSeconds = doubleValue(opt::kMaxClockAheadS);
    c.maxClockBehindSeconds = doubleValue(opt::kMaxClockBehindS);
    c.maxHosts = static_cast<int>(intValue(opt::kMaxHosts));
    c.maxJobs = static_cast<int>(intValue(opt::kMaxJobs));
    c.maxNewIdsPerMinute = doubleValue(opt::kMaxNewIdsPerMinute);
    c.hostExpirySeconds = doubleValue(opt::kHostExpiryS);
    if (spec(opt::kGridZone)) {
        FootprintConfig &fp = c.footprint;
        fp.gridZone = value(opt::kGridZone).trimmed();
        fp.gridStaleSeconds = doubleValue(opt::kGridStaleS);
        fp.wueLPerKwh = doubleValue(opt::kWue);
        fp.ewifLPerKwh = doubleValue(opt::kEwif);
        fp.embodiedKg = doubleValue(opt::kEmbodiedKg);
        fp.lifetimeYears = doubleValue(opt::kLifetimeYears);
        footprintsections::apply(m_config, &fp); // the config file's per-host and per-zone maps
    }
    return c;
}

QString Options::stateFile() const
{
    const QString v = value(opt::kStateFile);
    if (v == QLatin1String("none")) {
        return {};
    }
    if (v.isEmpty()) {
        return StateFile::defaultPath(m_programName);
    }
    return v;
}

bool Options::checkValues() const
{
    // Every value against its row's kind and bounds, whichever layer it comes from.
    for (const OptionSpec &row : std::as_const(m_specs)) {
        const QString v = value(row.name);
        if (const auto problem = row.problem(v)) {
            printTo(stderr, QStringLiteral("%1: --%2 %3, got \"%4\" (from %5)\n")
                                .arg(m_programName, row.name, *problem, v, source(row.name)));
            return false;
        }
    }
    if (const auto problem = footprintsections::problem(m_config)) {
        printTo(
            stderr,
            QStringLiteral("%1: config file %2: %3\n").arg(m_programName, m_configFile, *problem));
        return false;
    }
    // A TLS file that cannot work stops the program now, with its path, rather than as a "TLS
    // error" retried forever. The GUI's own settings are checked by its MQTT client instead.
    const QString caFile = opt::kCaFile;
    if (spec(caFile) && !value(caFile).isEmpty() && source(caFile) != QLatin1String("settings")) {
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
    return choice(opt::kLegacyControl) != QLatin1String("reject");
}

QStringList Options::describe() const
{
    QStringList lines;
    for (const OptionSpec &row : m_specs) {
        if (row.name == opt::kPrintConfig) {
            continue;
        }
        QString v = value(row.name);
        if (row.secret && !v.isEmpty()) {
            v = QStringLiteral("********");
        } else if (row.kind == OptionSpec::Kind::Url) {
            v = redactUrl(v); // --broker, --influx-url: user:password@ hides the password
        }
        lines << QStringLiteral("%1=%2  (%3)").arg(row.name, v, source(row.name));
    }
    lines << footprintsections::describe(m_config);
    if (!m_configFile.isEmpty()) {
        lines << QStringLiteral("# config file: %1").arg(m_configFile);
    }
    return lines;
}

} // namespace greenpulse::core
