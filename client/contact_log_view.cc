#include "client/contact_log_view.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/display.h"
#include "client/i18n.h"
#include "client/labels.h"
#include "client/time_input.h"

namespace amends::cli {
namespace {

struct Contact {
  absl::Time at = absl::InfinitePast();  // unknown: first
  bool has_at = false;
  std::string channel;
  std::string who;
  std::string what;
  std::string note;
};

std::string ChannelName(amends::v1::Channel channel) {
  return channel == amends::v1::CHANNEL_UNSPECIFIED ? "-" : Label(channel);
}

// An apology (the first one, or the manager's own), when one is recorded.
void AddApology(std::vector<Contact>& contacts, bool has, const amends::v1::FirstApology& a,
                absl::string_view what) {
  if (!has || a.channel() == amends::v1::CHANNEL_UNSPECIFIED) return;
  contacts.push_back({.at = a.has_recorded_at() ? FromProto(a.recorded_at()) : absl::InfinitePast(),
                      .has_at = a.has_recorded_at(),
                      .channel = ChannelName(a.channel()),
                      .who = a.recorded_by(),
                      .what = std::string(what),
                      .note = a.note()});
}

}  // namespace

std::string RenderClientContacts(const amends::v1::Incident& incident, absl::TimeZone zone,
                                 absl::Time now) {
  std::vector<Contact> contacts;
  AddApology(contacts, incident.has_first_apology(), incident.first_apology(),
             Tr("first apology"));
  AddApology(contacts, incident.has_manager_apology(), incident.manager_apology(),
             Tr("manager's apology"));
  for (const amends::v1::ClientUpdate& u : incident.client_updates()) {
    contacts.push_back({.at = u.has_logged_at() ? FromProto(u.logged_at()) : absl::InfinitePast(),
                        .has_at = u.has_logged_at(),
                        .channel = ChannelName(u.channel()),
                        .who = u.logged_by(),
                        .what = Tr("update"),
                        .note = u.note()});
  }
  for (const amends::v1::FollowUp& f : incident.follow_ups()) {
    contacts.push_back({.at = f.has_logged_at() ? FromProto(f.logged_at()) : absl::InfinitePast(),
                        .has_at = f.has_logged_at(),
                        .channel = "-",
                        .who = f.logged_by(),
                        .what = Tr("follow-up"),
                        .note = f.note()});
  }
  if (contacts.empty()) return absl::StrCat("\n", Tr("Client communication: none"), "\n");
  std::stable_sort(contacts.begin(), contacts.end(),
                   [](const Contact& a, const Contact& b) { return a.at < b.at; });
  Table table({{"TIME", kTimeColumnWidth}, {"CHANNEL"}, {"WHO", Table::kNoLimit}, {"WHAT"},
               {"NOTE", Table::kNoLimit}});
  for (const Contact& c : contacts) {
    table.AddRow({c.has_at ? FormatTime(c.at, zone, now) : "-", c.channel,
                  c.who.empty() ? "-" : c.who, c.what, c.note});
  }
  return absl::StrCat("\n", Tr("Client communication:"), "\n", table.RenderRows("  "));
}

}  // namespace amends::cli
