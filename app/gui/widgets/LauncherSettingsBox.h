#pragma once

#include <QGroupBox>
#include <QHash>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace greenpulse::app {

class GuiSettings;

// The settings dialog's "Launcher" group (docs/dashboard.md): what Start job does (label only,
// command, Slurm), the Slurm programs and the Command launcher's stop grace period. Stored under
// the option names, so --launcher and GREENPULSE_LAUNCHER win (those fields are read-only).
class LauncherSettingsBox : public QGroupBox
{
    Q_OBJECT
public:
    explicit LauncherSettingsBox(GuiSettings &settings, QWidget *parent = nullptr);

    QComboBox *kindBox() const { return m_kind; }
    QLineEdit *programEdit(const QString &option) const { return m_programs.value(option); }
    QSpinBox *graceBox() const { return m_grace; }

    // Writes what changed; true if anything did.
    bool save();

private:
    void guard(QWidget *field, const QString &option);
    QHash<QString, QString> values() const;

    GuiSettings &m_settings;
    QComboBox *m_kind = nullptr;
    QHash<QString, QLineEdit *> m_programs; // option name -> its field
    QSpinBox *m_grace = nullptr;
    QHash<QString, QString> m_initial;
};

} // namespace greenpulse::app
