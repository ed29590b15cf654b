// Option precedence: command line, then GREENPULSE_* environment, then config file, then default.
#include "options/Options.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse::core;

namespace {

QProcessEnvironment env(std::initializer_list<std::pair<const char *, const char *>> vars)
{
    QProcessEnvironment e;
    for (const auto &[k, v] : vars) {
        e.insert(QString::fromLatin1(k), QString::fromLatin1(v));
    }
    return e;
}

QString writeConfig(const QTemporaryDir &dir, const QByteArray &text)
{
    const QString path = dir.filePath(QStringLiteral("greenpulse.conf"));
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return path;
}

} // namespace

TEST(Options, DefaultsApplyWhenNothingIsSet)
{
    Options o(QStringLiteral("test"), Options::Mqtt | Options::Ledger | Options::Influx);
    int code = -1;
    ASSERT_TRUE(
        o.parse({QStringLiteral("test"), QStringLiteral("--config"), QStringLiteral("/dev/null")},
                &code, env({})));
    EXPECT_EQ(o.value(QStringLiteral("broker")), QStringLiteral("tcp://127.0.0.1:1883"));
    EXPECT_EQ(o.source(QStringLiteral("broker")), QStringLiteral("default"));
    EXPECT_DOUBLE_EQ(o.ledgerConfig().carbonKgPerKwh, 0.632);
    EXPECT_DOUBLE_EQ(o.ledgerConfig().pue, 1.0);
    EXPECT_DOUBLE_EQ(o.ledgerConfig().maxGapSeconds, 10.0);
    EXPECT_FALSE(o.influxOptions().enabled());
}

TEST(Options, CommandLineBeatsEnvironmentBeatsConfigFile)
{
    QTemporaryDir dir;
    const QString conf = writeConfig(dir, "broker=tcp://config:1\npue=1.3\ncarbon-intensity=0.5\n");
    Options o(QStringLiteral("test"), Options::Mqtt | Options::Ledger);
    int code = -1;
    ASSERT_TRUE(o.parse({QStringLiteral("test"), QStringLiteral("--config"), conf,
                         QStringLiteral("--broker"), QStringLiteral("tcp://cli:3")},
                        &code,
                        env({{"GREENPULSE_BROKER", "tcp://env:2"}, {"GREENPULSE_PUE", "1.2"}})));
    EXPECT_EQ(o.value(QStringLiteral("broker")), QStringLiteral("tcp://cli:3"));
    EXPECT_EQ(o.source(QStringLiteral("broker")), QStringLiteral("command line"));
    EXPECT_DOUBLE_EQ(o.ledgerConfig().pue, 1.2);
    EXPECT_EQ(o.source(QStringLiteral("pue")), QStringLiteral("environment"));
    EXPECT_DOUBLE_EQ(o.ledgerConfig().carbonKgPerKwh, 0.5);
    EXPECT_EQ(o.source(QStringLiteral("carbon-intensity")), QStringLiteral("config file"));
}

TEST(Options, ExtraLayerSitsBetweenEnvironmentAndConfigFile)
{
    QTemporaryDir dir;
    const QString conf = writeConfig(dir, "pue=1.3\nmax-gap-s=20\n");
    Options o(QStringLiteral("test"), Options::Ledger);
    o.setExtraLayer([](const QString &name) {
        return name == QLatin1String("max-gap-s") ? QStringLiteral("30") : QString();
    });
    int code = -1;
    ASSERT_TRUE(
        o.parse({QStringLiteral("test"), QStringLiteral("--config"), conf}, &code, env({})));
    EXPECT_DOUBLE_EQ(o.ledgerConfig().maxGapSeconds, 30);
    EXPECT_EQ(o.source(QStringLiteral("max-gap-s")), QStringLiteral("settings"));
    EXPECT_DOUBLE_EQ(o.ledgerConfig().pue, 1.3);
}

TEST(Options, SecretsAreMaskedInDescriptions)
{
    Options o(QStringLiteral("test"), Options::Mqtt | Options::Influx);
    int code = -1;
    ASSERT_TRUE(o.parse(
        {QStringLiteral("test"), QStringLiteral("--config"), QStringLiteral("/dev/null")}, &code,
        env({{"GREENPULSE_INFLUX_TOKEN", "s3cr3t-token"}, {"GREENPULSE_PASSWORD", "hunter2"}})));
    EXPECT_EQ(o.influxOptions().token, QStringLiteral("s3cr3t-token"));
    EXPECT_EQ(o.mqttOptions().password, QStringLiteral("hunter2"));
    const QString all = o.describe().join(QLatin1Char('\n'));
    EXPECT_FALSE(all.contains(QStringLiteral("s3cr3t-token")));
    EXPECT_FALSE(all.contains(QStringLiteral("hunter2")));
    EXPECT_TRUE(all.contains(QStringLiteral("influx-token=********")));
}

TEST(Options, PasswordsInUrlsAreMaskedInDescriptions)
{
    Options o(QStringLiteral("test"), Options::Mqtt | Options::Influx);
    int code = -1;
    ASSERT_TRUE(
        o.parse({QStringLiteral("test"), QStringLiteral("--config"), QStringLiteral("/dev/null"),
                 QStringLiteral("--influx-url"), QStringLiteral("http://admin:influx-pw@db:8086")},
                &code, env({{"GREENPULSE_BROKER", "tcp://gp:mqtt-pw@broker:1883"}})));
    // The values themselves keep the password: the writer needs it.
    EXPECT_EQ(o.influxOptions().url, QStringLiteral("http://admin:influx-pw@db:8086"));
    const QString all = o.describe().join(QLatin1Char('\n'));
    EXPECT_FALSE(all.contains(QStringLiteral("influx-pw"))) << all.toStdString();
    EXPECT_FALSE(all.contains(QStringLiteral("mqtt-pw"))) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("influx-url=http://admin:***@db:8086")));
    EXPECT_TRUE(all.contains(QStringLiteral("broker=tcp://gp:***@broker:1883")));
}

TEST(Options, AMissingOrUnreadableCaFileStopsTheProgram)
{
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("missing-ca.crt"));
    int code = -1;
    Options a(QStringLiteral("test"), Options::Mqtt);
    EXPECT_FALSE(a.parse({QStringLiteral("test"), QStringLiteral("--config"),
                          QStringLiteral("/dev/null"), QStringLiteral("--ca-file"), missing},
                         &code, env({})));
    EXPECT_EQ(code, 2);
    const QString junk = writeConfig(dir, "not a certificate\n");
    Options b(QStringLiteral("test"), Options::Mqtt);
    code = -1;
    EXPECT_FALSE(
        b.parse({QStringLiteral("test"), QStringLiteral("--config"), QStringLiteral("/dev/null")},
                &code, env({{"GREENPULSE_CA_FILE", junk.toLatin1().constData()}})));
    EXPECT_EQ(code, 2);
}

TEST(Options, LegacyControlIsAcceptOrReject)
{
    int code = -1;
    Options a(QStringLiteral("test"), Options::Ledger);
    ASSERT_TRUE(
        a.parse({QStringLiteral("test"), QStringLiteral("--config"), QStringLiteral("/dev/null")},
                &code, env({})));
    EXPECT_TRUE(a.acceptLegacyControl());
    Options b(QStringLiteral("test"), Options::Ledger);
    ASSERT_TRUE(
        b.parse({QStringLiteral("test"), QStringLiteral("--config"), QStringLiteral("/dev/null"),
                 QStringLiteral("--legacy-control"), QStringLiteral("reject")},
                &code, env({})));
    EXPECT_FALSE(b.acceptLegacyControl());
    Options c(QStringLiteral("test"), Options::Ledger);
    EXPECT_FALSE(
        c.parse({QStringLiteral("test"), QStringLiteral("--config"), QStringLiteral("/dev/null"),
                 QStringLiteral("--legacy-control"), QStringLiteral("maybe")},
                &code, env({})));
    EXPECT_EQ(code, 2);
}

TEST(Options, BadNumbersAndUnknownOptionsAreErrors)
{
    int code = -1;
    Options a(QStringLiteral("test"), Options::Ledger);
    EXPECT_FALSE(a.parse({QStringLiteral("test"), QStringLiteral("--pue"), QStringLiteral("abc")},
                         &code, env({})));
    EXPECT_EQ(code, 2);
    Options b(QStringLiteral("test"), Options::Ledger);
    EXPECT_FALSE(
        b.parse({QStringLiteral("test"), QStringLiteral("--no-such-option")}, &code, env({})));
    EXPECT_EQ(code, 2);
    Options c(QStringLiteral("test"), Options::Influx);
    EXPECT_FALSE(
        c.parse({QStringLiteral("test"), QStringLiteral("--influx-api"), QStringLiteral("v3")},
                &code, env({})));
    EXPECT_EQ(code, 2);
}

TEST(Options, EnvironmentNames)
{
    EXPECT_EQ(Options::environmentName(QStringLiteral("influx-token")),
              QStringLiteral("GREENPULSE_INFLUX_TOKEN"));
    EXPECT_EQ(Options::environmentName(QStringLiteral("broker")),
              QStringLiteral("GREENPULSE_BROKER"));
}
