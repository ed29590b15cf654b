// The option table (core/options/OptionTable.cpp): its kinds and bounds validate a value from
// every layer with an error that names the bound, each row can be set through the environment
// and the config file, and every default is the one the code uses (read from the config structs).
#include "accounting/LedgerConfig.h"
#include "accounting/StateFile.h"
#include "influx/InfluxOptions.h"
#include "influx/InfluxWriter.h"
#include "influx/Spool.h"
#include "mqtt/MqttClient.h"
#include "options/OptionNames.h"
#include "options/OptionTable.h"
#include "options/Options.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <cmath>
#include <gtest/gtest.h>

using namespace greenpulse::core;

namespace {

constexpr int kAllGroups = Options::Mqtt | Options::Host | Options::Publishing | Options::Influx |
                           Options::Ledger | Options::LedgerFeed | Options::Follow;

const QString kProgram = QStringLiteral("test");

struct ParseResult
{
    bool ok = false;
    int code = -1;
    QString out;
    QString err;
};

// Parses `args` (after the program name) with `env`, capturing what is printed.
ParseResult parse(Options &o, QStringList args, const QProcessEnvironment &env = {})
{
    args.prepend(kProgram);
    if (!args.contains(QStringLiteral("--config"))) {
        args << QStringLiteral("--config") << QStringLiteral("/dev/null");
    }
    ParseResult r;
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    r.ok = o.parse(args, &r.code, env);
    r.out = QString::fromStdString(testing::internal::GetCapturedStdout());
    r.err = QString::fromStdString(testing::internal::GetCapturedStderr());
    return r;
}

QProcessEnvironment oneVariable(const QString &name, const QString &value)
{
    QProcessEnvironment e;
    e.insert(name, value);
    return e;
}

// A value the row accepts that differs from its default, or empty when the test cannot pick one.
QString otherValidValue(const OptionSpec &row)
{
    switch (row.kind) {
    case OptionSpec::Kind::Int:
    case OptionSpec::Kind::Double: {
        const double v = row.defaultValue.toDouble() == row.minimum ? row.minimum + 1 : row.minimum;
        return OptionSpec::numberText(v);
    }
    case OptionSpec::Kind::Enum:
        for (const QString &choice : row.choices) {
            if (choice != row.defaultValue) {
                return choice;
            }
        }
        return {};
    case OptionSpec::Kind::Bool:
        return {};
    case OptionSpec::Kind::Url:
        return QStringLiteral("tcp://elsewhere.example:1884");
    case OptionSpec::Kind::Path:
    case OptionSpec::Kind::String:
        break;
    }
    if (row.name == opt::kCaFile || row.name == opt::kConfig) {
        return {}; // checked as files elsewhere
    }
    return QStringLiteral("/some/where/else");
}

QString withoutBlanks(QString text)
{
    return text.remove(QRegularExpression(QStringLiteral("\\s+")));
}

} // namespace

TEST(OptionTable, NamesAreUniqueAndEveryRowIsConsistent)
{
    QSet<QString> names;
    for (const OptionSpec &row : sharedOptionTable(kProgram)) {
        SCOPED_TRACE(row.name.toStdString());
        EXPECT_FALSE(names.contains(row.name));
        names.insert(row.name);
        EXPECT_EQ(row.isFlag(), row.valueName.isEmpty());
        // A default always passes its own row's check.
        EXPECT_FALSE(row.problem(row.defaultValue).has_value());
        if (row.kind == OptionSpec::Kind::Enum) {
            EXPECT_TRUE(row.choices.contains(row.defaultValue));
            EXPECT_EQ(row.valueName, row.choices.join(QLatin1Char('|')));
        }
    }
}

TEST(OptionTable, ValuesOutsideABoundAreRejectedWithTheBound)
{
    {
        Options o(kProgram, Options::Ledger);
        const ParseResult r = parse(o, {QStringLiteral("--pue"), QStringLiteral("0.5")});
        EXPECT_FALSE(r.ok);
        EXPECT_EQ(r.code, 2);
        EXPECT_TRUE(r.err.contains(
            QStringLiteral("--pue must be a number from 1 to 5, got \"0.5\" (from command line)")))
            << r.err.toStdString();
    }
    {
        // Carbon intensity is checked by its kind and bounds, not by its help's "kg/kWh".
        Options o(kProgram, Options::Ledger);
        const ParseResult r = parse(
            o, {}, oneVariable(QStringLiteral("GREENPULSE_CARBON_INTENSITY"), QStringLiteral("7")));
        EXPECT_FALSE(r.ok);
        EXPECT_TRUE(r.err.contains(QStringLiteral("--carbon-intensity must be a number from 0 to "
                                                  "5, got \"7\" (from environment)")))
            << r.err.toStdString();
    }
    {
        QTemporaryDir dir;
        const QString conf = dir.filePath(QStringLiteral("greenpulse.conf"));
        QFile f(conf);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("max-hosts=1.5\n");
        f.close();
        Options o(kProgram, Options::Ledger);
        const ParseResult r = parse(o, {QStringLiteral("--config"), conf});
        EXPECT_FALSE(r.ok);
        EXPECT_TRUE(r.err.contains(QStringLiteral("--max-hosts must be a whole number from 0 to "
                                                  "2147483647, got \"1.5\" (from config file)")))
            << r.err.toStdString();
    }
    // Every bounded row, just outside each of its bounds.
    for (const OptionSpec &row : sharedOptionTable(kProgram)) {
        if (!row.isNumber()) {
            continue;
        }
        SCOPED_TRACE(row.name.toStdString());
        QStringList outside = {OptionSpec::numberText(row.minimum - 1), QStringLiteral("abc")};
        if (std::isfinite(row.maximum)) {
            outside << OptionSpec::numberText(row.maximum + 1);
        }
        for (const QString &v : outside) {
            Options o(kProgram, kAllGroups);
            const ParseResult r = parse(o, {QStringLiteral("--") + row.name, v});
            EXPECT_FALSE(r.ok) << v.toStdString();
            EXPECT_EQ(r.code, 2);
            EXPECT_TRUE(r.err.contains(QStringLiteral("--%1 must be").arg(row.name)))
                << r.err.toStdString();
        }
    }
}

TEST(OptionTable, EveryRowIsReadFromTheEnvironmentAndTheConfigFile)
{
    QTemporaryDir dir;
    for (const OptionSpec &row : sharedOptionTable(kProgram)) {
        const QString v = otherValidValue(row);
        if (v.isEmpty()) {
            continue;
        }
        SCOPED_TRACE(row.name.toStdString());
        Options fromEnv(kProgram, kAllGroups);
        ASSERT_TRUE(parse(fromEnv, {}, oneVariable(Options::environmentName(row.name), v)).ok);
        EXPECT_EQ(fromEnv.value(row.name), v);
        EXPECT_EQ(fromEnv.source(row.name), QStringLiteral("environment"));

        const QString conf = dir.filePath(row.name + QStringLiteral(".conf"));
        QFile f(conf);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write((row.name + QLatin1Char('=') + v + QLatin1Char('\n')).toUtf8());
        f.close();
        Options fromFile(kProgram, kAllGroups);
        ASSERT_TRUE(parse(fromFile, {QStringLiteral("--config"), conf}).ok);
        EXPECT_EQ(fromFile.value(row.name), v);
        EXPECT_EQ(fromFile.source(row.name), QStringLiteral("config file"));
    }
}

TEST(OptionTable, DefaultsAreTheConfigStructsDefaults)
{
    Options o(kProgram, kAllGroups);
    ASSERT_TRUE(parse(o, {}).ok);
    EXPECT_EQ(o.ledgerConfig(), LedgerConfig{});
    const MqttOptions mqtt;
    EXPECT_EQ(o.mqttOptions().brokerUrl, mqtt.brokerUrl);
    const InfluxOptions influx;
    const InfluxOptions fromOptions = o.influxOptions();
    EXPECT_EQ(fromOptions.api, influx.api);
    EXPECT_EQ(fromOptions.bucket, influx.bucket);
    EXPECT_EQ(fromOptions.database, influx.database);
    EXPECT_EQ(fromOptions.spoolMaxBytes, influx.spoolMaxBytes);
    EXPECT_EQ(fromOptions.writerMode, InfluxOptions::kProgramWriterMode);
    EXPECT_EQ(fromOptions.spoolDir, InfluxOptions::defaultSpoolDir(kProgram));
    EXPECT_EQ(o.stateFile(), StateFile::defaultPath(kProgram));
    EXPECT_TRUE(o.acceptLegacyControl());
}

TEST(OptionTable, HelpNamesTheDefaultsTheCodeUses)
{
    Options o(kProgram, kAllGroups);
    const ParseResult r = parse(o, {QStringLiteral("--help")});
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.code, 0);
    const QString help = withoutBlanks(r.out);
    const LedgerConfig ledger;
    const InfluxOptions influx;
    const QStringList expected = {
        QStringLiteral("[default: %1]").arg(OptionSpec::numberText(ledger.carbonKgPerKwh)),
        QStringLiteral("[default: %1]").arg(OptionSpec::numberText(ledger.pue)),
        QStringLiteral("[default: %1]").arg(OptionSpec::numberText(ledger.maxGapSeconds)),
        QStringLiteral("[default: %1]").arg(influx.spoolMaxBytes / (1024 * 1024)),
        QStringLiteral("[default: %1]").arg(MqttOptions().brokerUrl),
        QStringLiteral("Default: %1.").arg(InfluxOptions::defaultSpoolDir(kProgram)),
        QStringLiteral("Default: %1;").arg(StateFile::defaultPath(kProgram)),
    };
    for (const QString &text : expected) {
        EXPECT_TRUE(help.contains(withoutBlanks(text))) << text.toStdString();
    }
    EXPECT_TRUE(help.contains(QStringLiteral("[default:0.632]")));
}

TEST(OptionTable, ChoicesIgnoreCaseAndBlanks)
{
    Options o(kProgram, Options::Influx | Options::Ledger);
    ASSERT_TRUE(parse(o, {QStringLiteral("--influx-api"), QStringLiteral(" V2"),
                          QStringLiteral("--legacy-control"), QStringLiteral("REJECT")})
                    .ok);
    EXPECT_EQ(o.influxOptions().api, InfluxOptions::Api::V2);
    EXPECT_FALSE(o.acceptLegacyControl());
}

// Options and the writer (an InfluxOptions with no spoolDir) name the same spool folder.
TEST(OptionTable, OptionsAndTheWriterAgreeOnTheSpoolFolder)
{
    const QString before = QCoreApplication::applicationName();
    const QString program = QStringLiteral("greenpulse-spool-test");
    QCoreApplication::setApplicationName(program);
    Options o(program, Options::Influx);
    int code = -1;
    ASSERT_TRUE(o.parse({program, QStringLiteral("--config"), QStringLiteral("/dev/null")}, &code,
                        QProcessEnvironment()));
    const QString fromOptions = o.influxOptions().spoolDir;
    EXPECT_EQ(fromOptions, Spool::folderFor(InfluxOptions{}));
    InfluxWriter writer{InfluxOptions{}};
    EXPECT_EQ(writer.spoolDir(), fromOptions);
    EXPECT_EQ(fromOptions, InfluxOptions::defaultSpoolDir(program));
    QCoreApplication::setApplicationName(before);
}

TEST(OptionTable, TheLedgerFeedAndFollowOptions)
{
    int exitCode = 0;
    Options processor(kProgram, Options::LedgerFeed);
    ASSERT_TRUE(processor.parse({kProgram}, &exitCode, QProcessEnvironment()));
    EXPECT_EQ(processor.ledgerPublisherOptions().processorName, Options::defaultHostName());
    EXPECT_EQ(processor.ledgerPublisherOptions().intervalMs, LedgerPublisherOptions().intervalMs);
    EXPECT_EQ(processor.followProcessor(), QString()); // not an option of the processor

    Options named(kProgram, Options::LedgerFeed);
    ASSERT_TRUE(named.parse({kProgram, QStringLiteral("--processor-name"), QStringLiteral("site-a"),
                             QStringLiteral("--ledger-interval-s"), QStringLiteral("0.5")},
                            &exitCode, QProcessEnvironment()));
    EXPECT_EQ(named.ledgerPublisherOptions().processorName, QStringLiteral("site-a"));
    EXPECT_EQ(named.ledgerPublisherOptions().intervalMs, 500);

    Options dashboard(kProgram, Options::Follow);
    ASSERT_TRUE(dashboard.parse({kProgram}, &exitCode, QProcessEnvironment()));
    EXPECT_EQ(dashboard.followProcessor(), QString()); // the own processor by default
    Options following(kProgram, Options::Follow);
    ASSERT_TRUE(following.parse({kProgram, QStringLiteral("--follow"), QStringLiteral("site-a")},
                                &exitCode, QProcessEnvironment()));
    EXPECT_EQ(following.followProcessor(), QStringLiteral("site-a"));
    EXPECT_TRUE(following.spec(QStringLiteral("follow"))->dashboard); // in the settings dialog
}
