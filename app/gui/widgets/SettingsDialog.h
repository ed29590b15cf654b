#pragma once

#include <QDialog>
#include <QHash>

class QCheckBox;
class QDialogButtonBox;
class QLineEdit;
class QWidget;

namespace greenpulse::core {
struct OptionSpec;
} // namespace greenpulse::core

namespace greenpulse::app {

class GuiSettings;
class LauncherSettingsBox;

// Edits the broker, InfluxDB and accounting settings stored in QSettings (keys = option
// names): the option table's rows marked `dashboard`, each edited as its kind says (a spin box
// within the row's bounds, a list of its choices, a line). Fields set on the command line or in the
// environment are shown read-only, since those win. Only fields the user changed are written, so
// the config file keeps its say for the rest. Secrets use password echo and are never logged.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(GuiSettings &settings, QWidget *parent = nullptr);

    // Test helpers: a field's widget by option name ("broker", "pue", ...).
    QWidget *field(const QString &option) const { return m_fields.value(option); }
    QCheckBox *influxWritingBox() const { return m_influxWriting; }
    LauncherSettingsBox *launcherBox() const { return m_launcher; }
    void setFieldText(const QString &option, const QString &text);
    QString fieldText(const QString &option) const;

    // Writes what changed into the settings; returns true if anything did.
    bool save();

private:
    void updateApiFields(); // the fields of the InfluxDB API not chosen are greyed
    QWidget *makeField(const core::OptionSpec &row, QWidget *parent);
    QWidget *withBrowseButton(QLineEdit *line, QWidget *parent); // for the CA file
    // The dashboard's options of one Options::Group, in table order.
    QWidget *group(const QString &title, int optionGroup, QWidget *extra = nullptr);

    GuiSettings &m_settings;
    QHash<QString, QWidget *> m_fields;
    QHash<QString, QString> m_initial; // text shown when the dialog opened
    QCheckBox *m_influxWriting = nullptr;
    bool m_initialWriting = true;
    LauncherSettingsBox *m_launcher = nullptr;
};

} // namespace greenpulse::app
