#!/usr/bin/python3
"""Writes the seed corpus of every fuzz target into tests/fuzz/corpus/NAME/ (fuzz_target.h).

Run it again after changing the API: the seeds of rpc, watch_request and webhook are protobuf
bytes, and an rpc seed's first byte is the method's place in the services (rpc.cc).

    tests/fuzz/make_seeds.py
"""
import hashlib
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

TEXT_SEEDS = {
    "time_input": ["2026-11-30 10:00", "2026/11/30 10:00", "tomorrow 10:00", "today 17:30",
                   "+3d 09:30", "月曜 10:00", "金曜日 15:00", "mon 10:00", "Friday 9:00",
                   "2026-11-27T10:00:00+09:00", "2026-11-27T01:00:00Z", "tomorrow",
                   "now", "oldest", "123"],
    "duration": ["2d", "90m", "24h", "1h30m", "1d12h", "3d", "4h", "0.5h", "-1h"],
    "yen": ["50000", "50,000", "¥50,000", "￥300,000", "50000円", "1,500,000円", " 0 ",
            "5万"],
    "client_name": ["ＡＢＣ商事", "ABC商事 ", "abc\u200b商事", "株式会社　ＡＢＣ  商事",
                    "ｶﾌﾞｼｷｶﾞｲｼｬ", "\u00c5ngstr\u00f6m AB", "ﬁnance"],
    "text": ["15時のサンプル受け渡しの打ち合わせを失念", "", " \u3000 ", "a" * 201,
             "字" * 200],
    "terminal_text": ["15時のサンプル受け渡しの打ち合わせを失念", "\x1b]0;title\x07",
                      "\x1b[2J\x1b[H", "abc\u202edef", "line\nbreak\ttab",
                      "e\u0301\u0301 👨‍👩‍👧 ＡＢＣ", "\u200fright"],
    "page_token": ["50", "1", "9223372036854775807", "0", "+5", " 7"],
    "mail": ["tanaka@example.com\0[amends] #1 期限切れ: ＡＢＣ商事\0"
             "#1 の初動謝罪の期限が過ぎました。\n\n  amends apologize 1 --channel phone\n",
             "t@example.com\0" + "長い件名" * 30 + "\0" + "本文\r\n" * 40,
             "\0=?UTF-8?B?x?= subject\0body"],
}


def write(target, data):
    directory = os.path.join(HERE, "corpus", target)
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    for target, seeds in TEXT_SEEDS.items():
        for seed in seeds:
            write(target, seed)
    for target, path in [("policy", "deploy/policy.textproto"),
                         ("notify_config", "deploy/notify.textproto")]:
        with open(os.path.join(ROOT, path), "rb") as f:
            write(target, f.read())
    write("policy", "severity { severity: SEVERITY_LOW escalate_within: \"3d\" }")
    write("notify_config", 'smtp { server: "127.0.0.1:2525" from: "amends@example.com" '
                           'security: SECURITY_PLAIN }')

    with tempfile.TemporaryDirectory() as gen:
        subprocess.run(["protoc", "--proto_path", os.path.join(ROOT, "proto"),
                        "--python_out", gen, "amends/v1/amends.proto"], check=True)
        sys.path.insert(0, gen)
        from amends.v1 import amends_pb2 as pb
        from google.protobuf import text_format

        methods = []  # rpc.cc's order: IncidentService's unary methods, then NotificationService's
        for service in ("IncidentService", "NotificationService"):
            for m in pb.DESCRIPTOR.services_by_name[service].methods:
                if not m.client_streaming and not m.server_streaming:
                    methods.append(m)
        requests = {
            "ReportIncident": 'team: "tokyo-sales" client { name: "ＡＢＣ商事" contact: "総務部 山田様" } '
                              'kind: KIND_MISSED_APPOINTMENT severity: SEVERITY_HIGH '
                              'summary: "15時のサンプル受け渡しの打ち合わせを失念" request_id: "r1"',
            "ListIncidents": 'team: "tokyo-sales" page_size: 2 page_token: "5" client: "abc商事"',
            "AddNote": 'id: 1 expected_version: 1 text: "先方に電話"',
            "Escalate": 'id: 1 expected_version: 1 reason: "部長が立腹"',
            "MakeOffer": 'id: 1 expected_version: 3 kind: OFFER_KIND_DISCOUNT amount_yen: 50000 '
                         'text: "次回10%引き"',
            "ScheduleApologyVisit": 'id: 1 expected_version: 3 planned_at { seconds: 1795914000 } '
                                    'attendees: "tanaka, sato"',
            "HandOver": 'from: "sato" to: "tanaka" client: "ＡＢＣ商事" dry_run: true',
            "UpdateMe": 'email: "sato@example.com" language: "ja"',
        }
        for index, method in enumerate(methods):
            request = pb.__dict__[method.input_type.name]()
            text = requests.get(method.name)
            if text is not None:
                text_format.Parse(text, request)
            elif "id" in method.input_type.fields_by_name:
                request.id = 1
                if "expected_version" in method.input_type.fields_by_name:
                    request.expected_version = 1
            for caller in (2, 3):  # sato (member), tanaka (manager)
                write("rpc", bytes([index, caller]) + request.SerializeToString())

        for text in ['from_now: true team: "tokyo-sales"', "from_oldest: true incident_id: 1",
                     'after_sequence: 3 client: "ＡＢＣ商事" states: STATE_ESCALATED '
                     'types: EVENT_TYPE_ESCALATED', 'team: "osaka-sales"']:
            write("watch_request", text_format.Parse(text, pb.WatchRequest()).SerializeToString())

        notification = text_format.Parse(
            'id: 7 incident_id: 1 recipient: "tanaka" '
            'subject: "[amends] #1 承認待ち: ＡＢＣ商事 @here <!channel> [toall]" '
            'body: "佐藤さんがエスカレーションしました。\\n\\n  amends approve 1\\n"',
            pb.Notification())
        for fmt in range(5):
            write("webhook", bytes([fmt]) + notification.SerializeToString())
            write("webhook", bytes([fmt]) + "件名 @all\0本文 <script>".encode())


if __name__ == "__main__":
    main()
