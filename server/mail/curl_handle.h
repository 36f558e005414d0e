// libcurl for the mailer and the webhooks: initialised once per process, and owners of its
// handles. Thread-safe.
#ifndef AMENDS_SERVER_MAIL_CURL_HANDLE_H_
#define AMENDS_SERVER_MAIL_CURL_HANDLE_H_

#include <curl/curl.h>

#include <memory>

namespace amends {

// Before the first handle; thread-safe by the static's initialisation.
inline void InitCurlOnce() {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
}

struct CurlCleanup {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistCleanup {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlCleanup>;
using CurlList = std::unique_ptr<curl_slist, SlistCleanup>;

}  // namespace amends

#endif  // AMENDS_SERVER_MAIL_CURL_HANDLE_H_
