#include "widgets/LauncherSettingsBox.h"

#include "runtime/GuiSettings.h"
#include "runtime/launchers/LauncherOptions.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace greenpulse::app {

LauncherSettingsBox::LauncherSettingsBox(GuiSettings &settings, QWidget *parent)
    : QGroupBox(tr("Launcher"), parent), m_settings(settings)
{
    setObjectName(QStringLiteral("launcherSettings"));
    auto *form = new QFormLayout(this);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(launchopt::kLauncher);
    for (Launcher::Kind kind :
         {Launcher::Kind::Label, Launcher::Kind::Command, Launcher::Kind::Slurm}) {
        m_kind->addItem(launcherTitle(kind), launcherName(kind));
    }
    const auto kind = launcherKind(m_settings.effective(launchopt::kLauncher));
    m_kind->setCurrentIndex(
        qMax(0, m_kind->findData(launcherName(kind.value_or(Launcher::Kind::Label)))));
    form->addRow(tr("Start job"), m_kind);
    guard(m_kind, launchopt::kLauncher);

    for (const QLatin1String option :
         {launchopt::kSbatch, launchopt::kScancel, launchopt::kSqueue}) {
        auto *line = new QLineEdit(m_settings.effective(option), this);
        line->setObjectName(option);
        line->setPlaceholderText(tr("found in PATH"));
        m_programs.insert(option, line);
        form->addRow(option, line);
        guard(line, option);
    }
    m_grace = new QSpinBox(this);
    m_grace->setObjectName(launchopt::kStopGraceS);
    m_grace->setRange(0, 3600);
    m_grace->setSuffix(tr(" s"));
    m_grace->setValue(m_settings.effective(launchopt::kStopGraceS).toInt());
    form->addRow(tr("Stop: SIGKILL after"), m_grace);
    guard(m_grace, launchopt::kStopGraceS);
    m_initial = values();
}

void LauncherSettingsBox::guard(QWidget *field, const QString &option)
{
    if (m_settings.overridden(option)) {
        field->setEnabled(false);
        field->setToolTip(tr("Set by the %1 (--%2), which wins over these settings")
                              .arg(m_settings.source(option), option));
    } else {
        field->setToolTip(tr("Now from: %1").arg(m_settings.source(option)));
    }
}

QHash<QString, QString> LauncherSettingsBox::values() const
{
    QHash<QString, QString> v;
    v.insert(launchopt::kLauncher, m_kind->currentData().toString());
    for (auto it = m_programs.cbegin(); it != m_programs.cend(); ++it) {
        v.insert(it.key(), it.value()->text().trimmed());
    }
    v.insert(launchopt::kStopGraceS, QString::number(m_grace->value()));
    return v;
}

bool LauncherSettingsBox::save()
{
    bool changed = false;
    const QHash<QString, QString> now = values();
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        if (m_settings.overridden(it.key()) || it.value() == m_initial.value(it.key())) {
            continue;
        }
        m_settings.setStored(it.key(), it.value());
        changed = true;
    }
    m_initial = now;
    return changed;
}

} // namespace greenpulse::app
