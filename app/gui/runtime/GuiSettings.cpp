#include "runtime/GuiSettings.h"

#include "options/Options.h"
#include "protocol/Protocol.h"

#include <QFile>
#include <QSettings>

namespace greenpulse::app {

namespace {
const QString kInfluxEnabled = QStringLiteral("gui/influx-writing");
}

GuiSettings::GuiSettings(QSettings &settings, core::Options &options)
    : m_settings(settings), m_options(options)
{
    m_options.setExtraLayer([&settings](const QString &name) {
        return settings.contains(name) ? settings.value(name).toString() : QString();
    });
}

QStringList GuiSettings::editableOptions() const
{
    QStringList names;
    for (const core::OptionSpec &row : m_options.specs()) {
        if (row.dashboard) {
            names << row.name;
        }
    }
    return names;
}

const core::OptionSpec *GuiSettings::spec(const QString &option) const
{
    return m_options.spec(option);
}

bool GuiSettings::isSecret(const QString &option) const
{
    const core::OptionSpec *row = spec(option);
    return row && row->secret;
}

QString GuiSettings::effective(const QString &option) const
{
    return m_options.value(option);
}

QString GuiSettings::stored(const QString &option) const
{
    return m_settings.value(option).toString();
}

void GuiSettings::setStored(const QString &option, const QString &value)
{
    if (value.isEmpty()) {
        m_settings.remove(option);
    } else {
        m_settings.setValue(option, value);
    }
}

QString GuiSettings::source(const QString &option) const
{
    return m_options.source(option);
}

bool GuiSettings::overridden(const QString &option) const
{
    const QString from = source(option);
    return from == QLatin1String("command line") || from == QLatin1String("environment");
}

bool GuiSettings::influxWritingEnabled() const
{
    return m_settings.value(kInfluxEnabled, true).toBool();
}

void GuiSettings::setInfluxWritingEnabled(bool enabled)
{
    m_settings.setValue(kInfluxEnabled, enabled);
}

core::MqttOptions GuiSettings::processorMqttOptions() const
{
    core::MqttOptions o = m_options.mqttOptions();
    // Like greenpulse-processor: a persistent session under a stable id, so the broker keeps our
    // QoS 1 messages while we restart, and a presence topic with a last will.
    o.cleanSession = false;
    o.willTopic = core::topics::status(o.clientId);
    o.willPayload = "offline";
    o.onlinePayload = "online";
    return o;
}

core::MqttOptions GuiSettings::controlMqttOptions() const
{
    core::MqttOptions o = m_options.mqttOptions();
    // A second connection: the broker would drop one of two clients sharing an id.
    o.clientId += QStringLiteral("-control");
    o.cleanSession = true;
    return o;
}

core::InfluxOptions GuiSettings::influxOptions() const
{
    core::InfluxOptions o = m_options.influxOptions();
    if (!influxWritingEnabled()) {
        o.url.clear();
    }
    return o;
}

core::LedgerConfig GuiSettings::ledgerConfig() const
{
    return m_options.ledgerConfig();
}

QString GuiSettings::followProcessor() const
{
    return m_options.followProcessor();
}

QVariant GuiSettings::guiValue(const QString &key, const QVariant &fallback) const
{
    return m_settings.value(QStringLiteral("gui/") + key, fallback);
}

void GuiSettings::setGuiValue(const QString &key, const QVariant &value)
{
    m_settings.setValue(QStringLiteral("gui/") + key, value);
}

void GuiSettings::sync()
{
    m_settings.sync();
    // It may hold the MQTT password and the InfluxDB token: readable by its owner only.
    if (QFile::exists(m_settings.fileName())) {
        QFile::setPermissions(m_settings.fileName(), QFile::ReadOwner | QFile::WriteOwner);
    }
}

} // namespace greenpulse::app
