#pragma once

#include "accounting/LedgerConfig.h"
#include "influx/InfluxOptions.h"
#include "mqtt/MqttClient.h"
#include "options/OptionSpec.h"

#include <QString>
#include <QStringList>
#include <QVariant>

class QSettings;

namespace greenpulse::core {
class Options;
} // namespace greenpulse::core

namespace greenpulse::app {

// The dashboard's settings: the shared options (keys = option names, e.g. "broker",
// "influx-token") stored in QSettings, plus a few GUI-only keys under "gui/". Installed as the
// Options' extra layer, so precedence stays: command line > GREENPULSE_* environment > these
// settings > config file > defaults. Secrets are stored like the rest, in a file that sync()
// makes readable by its owner only, and are never logged.
class GuiSettings
{
public:
    GuiSettings(QSettings &settings, core::Options &options);

    // The option names the settings dialog edits: the option table's rows marked `dashboard`,
    // in table order.
    QStringList editableOptions() const;
    // The option's row (kind, bounds, choices, secret); nullptr for a name that is none.
    const core::OptionSpec *spec(const QString &option) const;
    bool isSecret(const QString &option) const;

    QString effective(const QString &option) const; // what is in force, from any layer
    QString stored(const QString &option) const;    // what these settings hold ("" = not set)
    void setStored(const QString &option, const QString &value); // "" removes the key
    QString source(const QString &option) const;  // "command line", "environment", ...
    bool overridden(const QString &option) const; // by the command line or the environment

    bool influxWritingEnabled() const;
    void setInfluxWritingEnabled(bool enabled);

    // In force now (the dialog changes them; callers compare and apply).
    core::MqttOptions processorMqttOptions() const;
    core::MqttOptions controlMqttOptions() const; // same broker, client id + "-control"
    core::InfluxOptions influxOptions() const;    // url cleared when writing is switched off
    core::LedgerConfig ledgerConfig() const;
    // --follow: the processor whose published ledger the window shows; empty: its own processor.
    // Read when the window is built (a change in the dialog reopens the window).
    QString followProcessor() const;

    QVariant guiValue(const QString &key, const QVariant &fallback = {}) const;
    void setGuiValue(const QString &key, const QVariant &value);
    void sync();

    QSettings &qsettings() { return m_settings; }
    core::Options &options() { return m_options; }

private:
    QSettings &m_settings;
    core::Options &m_options;
};

} // namespace greenpulse::app
