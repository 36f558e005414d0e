#include "server/writer.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "server/core/client_name.h"
#include "server/core/visibility.h"

namespace amends {
namespace {

// How many earlier incidents of a client a new report links to.
constexpr int kMaxEarlierLinks = 20;

}  // namespace

absl::StatusOr<v1::Incident> IncidentWriter::Report(const v1::ReportIncidentRequest& request,
                                                    const Actor& actor) {
  absl::MutexLock lock(&mu_);
  if (!request.request_id().empty()) {
    absl::StatusOr<std::optional<v1::Incident>> existing =
        store_.FindByRequestId(actor.name, request.request_id());
    if (!existing.ok()) return existing.status();
    if (*existing) return **existing;
  }
  absl::StatusOr<Team> team = store_.GetTeam(request.team());
  if (absl::IsNotFound(team.status())) {
    return absl::InvalidArgumentError(absl::StrCat("team: unknown team ", request.team()));
  }
  if (!team.ok()) return team.status();

  std::vector<v1::Incident> earlier;
  if (std::string key = ClientKey(request.client().name()); !key.empty()) {
    IncidentQuery query;
    query.team = team->name;
    query.client_key = key;
    query.all_confidential = true;  // the core decides what it may link
    query.limit = kMaxEarlierLinks;
    absl::StatusOr<std::vector<v1::Incident>> found = store_.ListIncidents(query);
    if (!found.ok()) return found.status();
    earlier = std::move(*found);
  }

  absl::StatusOr<Change> change =
      amends::Report(request, actor, team->time_zone, clock_.Now(), earlier);
  if (!change.ok()) return change.status();
  absl::StatusOr<Committed> done = store_.Commit(
      {std::move(change->incident), std::move(change->event),
       ClientKey(request.client().name()), request.request_id()});
  if (!done.ok()) return done.status();
  return std::move(done->incident);
}

absl::StatusOr<v1::Incident> IncidentWriter::Apply(int64_t id, int64_t expected_version,
                                                   const Action& action, const Actor& actor) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<v1::Incident> current = store_.GetIncident(id);
  if (!current.ok()) return current.status();
  // Before the version check, so that a conflict never reveals a hidden incident.
  if (auto s = CheckCanRead(*current, actor); !s.ok()) return s;
  if (expected_version != 0 && expected_version != current->version()) {
    return absl::AbortedError(absl::StrCat("incident ", id, " is at version ",
                                           current->version(), ", not ", expected_version,
                                           ": someone else changed it; reload and retry"));
  }
  absl::StatusOr<Change> change = amends::Apply(*current, action, actor, clock_.Now());
  if (!change.ok()) return change.status();
  std::string key = ClientKey(change->incident.client().name());
  absl::StatusOr<Committed> done =
      store_.Commit({std::move(change->incident), std::move(change->event), std::move(key), ""});
  if (!done.ok()) return done.status();
  return std::move(done->incident);
}

}  // namespace amends
