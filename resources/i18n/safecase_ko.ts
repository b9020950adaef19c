<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>AddRecipientDialog</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/add_recipient_dialog.py" line="+16"/>
        <source>Add an age recipient</source>
        <translation>age 수신자 추가</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>For someone without SafeCase: they can open bundles you send them with the age tool, but cannot send you bundles.</source>
        <translation>SafeCase가 없는 사람용: 보내는 번들을 age 도구로 열 수 있지만, 번들을 보낼 수는 없습니다.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Age recipient</source>
        <translation>age 수신자</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Organisation</source>
        <translation>소속</translation>
    </message>
</context>
<context>
    <name>Autosaver</name>
    <message>
        <location filename="../../src/safecase/ui/editors/autosave.py" line="+113"/>
        <source>Saving…</source>
        <translation>저장 중…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Saved %1</source>
        <translation>%1에 저장됨</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+12"/>
        <source>Not saved yet: %1</source>
        <translation>아직 저장되지 않음: %1</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Not saved: %1</source>
        <translation>저장되지 않음: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Draft kept; not recorded yet</source>
        <translation>임시 저장됨 (아직 기록되지 않음)</translation>
    </message>
</context>
<context>
    <name>ChoicesPage</name>
    <message>
        <location filename="../../src/safecase/ui/reports/report_wizard.py" line="+44"/>
        <source>What the report covers</source>
        <translation>보고서에 담을 내용</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Names appear only where the policy and each person&apos;s consent allow it.</source>
        <translation>이름은 공개 정책과 각 사람의 동의가 허락하는 경우에만 나타납니다.</translation>
    </message>
</context>
<context>
    <name>ConfirmKeyPage</name>
    <message>
        <location filename="../../src/safecase/ui/first_run_key_pages.py" line="+105"/>
        <source>Check what you wrote down</source>
        <translation>적어 둔 내용 확인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type two groups from your paper, to be sure the key was copied correctly.</source>
        <translation>키를 바르게 옮겨 적었는지 확인하기 위해, 종이에 적은 묶음 두 개를 입력하세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First group</source>
        <translation>첫 번째 묶음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Second group</source>
        <translation>두 번째 묶음</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Type group {first} and group {second} of your recovery key.</source>
        <translation>복구 키의 {first}번째 묶음과 {second}번째 묶음을 입력하세요.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>Group {number}:</source>
        <translation>{number}번째 묶음:</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Group {number}</source>
        <translation>{number}번째 묶음</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>That is not what the key says. Go back to see it again, correct your paper, and type the groups again.</source>
        <translation>복구 키와 일치하지 않습니다. 이전 단계로 돌아가 키를 다시 확인하고, 종이에 적은 내용을 고친 다음 묶음을 다시 입력하세요.</translation>
    </message>
</context>
<context>
    <name>ConflictTableModel</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/conflicts_dialog.py" line="+62"/>
        <source>Record</source>
        <translation>기록</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>종류</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Versions</source>
        <translation>버전</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <location line="+65"/>
        <location line="+84"/>
        <source>Conflicts</source>
        <translation>충돌</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>These records were changed on two laptops without either seeing the other&apos;s change. Both versions are kept; choose the one to keep. The other stays in the record&apos;s history.</source>
        <translation>이 기록들은 두 노트북에서 서로의 변경을 보지 못한 채 수정되었습니다. 두 버전 모두 보관되어 있습니다. 남길 버전을 고르세요. 다른 버전은 기록의 이력에 남습니다.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>No conflicts: every record has one current version.</source>
        <translation>충돌 없음: 모든 기록에 현재 버전이 하나씩 있습니다.</translation>
    </message>
</context>
<context>
    <name>ConsentEditor</name>
    <message>
        <location filename="../../src/safecase/ui/editors/consent.py" line="+77"/>
        <source>Record consent</source>
        <translation>동의 기록</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record this consent; it cannot be edited afterwards</source>
        <translation>이 동의를 기록합니다. 기록한 후에는 수정할 수 없습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdraw…</source>
        <translation>철회…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record a withdrawal of this consent</source>
        <translation>이 동의의 철회 기록</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Saving…</source>
        <translation>저장 중…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Withdrawn</source>
        <translation>철회됨</translation>
    </message>
</context>
<context>
    <name>ConsentPanel</name>
    <message>
        <location filename="../../src/safecase/ui/editors/consent_panel.py" line="+66"/>
        <source>Consent</source>
        <translation>동의</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Record consent…</source>
        <translation>동의 기록…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record consent for this testimony</source>
        <translation>이 증언에 대한 동의 기록</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Consent warning</source>
        <translation>동의 경고</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Consent records: %1</source>
        <translation>동의 기록: %1건</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>agreed</source>
        <translation>동의함</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not agreed</source>
        <translation>동의하지 않음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>withdrawn</source>
        <translation>철회됨</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No consent: %1</source>
        <translation>동의 없음: %1</translation>
    </message>
</context>
<context>
    <name>ContactTableModel</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/contacts_model.py" line="+43"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Organisation</source>
        <translation>소속</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fingerprint</source>
        <translation>지문</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>age only: %1</source>
        <translation>age 전용: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>verified</source>
        <translation>확인됨</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not verified</source>
        <translation>확인 안 됨</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>removed</source>
        <translation>삭제됨</translation>
    </message>
</context>
<context>
    <name>ContactsDialog</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/contacts_dialog.py" line="+64"/>
        <location line="+205"/>
        <source>Team contacts</source>
        <translation>팀 연락처</translation>
    </message>
    <message>
        <location line="-199"/>
        <source>QR code of your fingerprint</source>
        <translation>내 지문의 QR 코드</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>You</source>
        <translation>나</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Read these digits aloud to each team member, or let them compare the QR code, so they can verify you. Give them your card first.</source>
        <translation>팀원이 나를 확인할 수 있도록 이 숫자를 소리 내어 읽어 주거나 QR 코드를 비교하게 하세요. 먼저 내 카드를 건네 주세요.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save my card…</source>
        <translation>내 카드 저장…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a card…</source>
        <translation>카드 추가…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add an age recipient…</source>
        <translation>age 수신자 추가…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify…</source>
        <translation>확인…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>(no name)</source>
        <translation>(이름 없음)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Save your contact card</source>
        <translation>내 연락처 카드 저장</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Card saved</source>
        <translation>카드 저장됨</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add a contact card</source>
        <translation>연락처 카드 추가</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Contact added</source>
        <translation>연락처 추가됨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 was added. Verify their fingerprint with them before you trust what they send.</source>
        <translation>%1 님을 추가했습니다. 보내 오는 것을 믿기 전에 직접 만나 지문을 확인하세요.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Remove contact</source>
        <translation>연락처 삭제</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove %1? Bundles they sign will be refused from now on, and they will be sent nothing.</source>
        <translation>%1 님을 삭제할까요? 이제부터 이 사람이 서명한 번들은 거부되고, 이 사람에게는 아무것도 보내지 않습니다.</translation>
    </message>
</context>
<context>
    <name>ContentPage</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/send_wizard.py" line="+86"/>
        <source>What goes in it</source>
        <translation>담을 내용</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every record</source>
        <translation>모든 기록</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only these cases, with the people, testimonies and places they need</source>
        <translation>이 사례들만 (필요한 인물, 증언, 장소 포함)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Only records changed since</source>
        <translation>이 날짜 이후 바뀐 기록만</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Include people&apos;s contact details (phones, addresses)</source>
        <translation>사람들의 연락처 정보 포함 (전화번호, 주소)</translation>
    </message>
</context>
<context>
    <name>CreatingPage</name>
    <message>
        <location filename="../../src/safecase/ui/first_run_creating.py" line="+45"/>
        <source>Creating your vault</source>
        <translation>보관함을 만드는 중</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SafeCase measures this computer to tune the encryption. This takes a few seconds.</source>
        <translation>SafeCase가 암호화 설정을 맞추기 위해 이 컴퓨터의 성능을 측정합니다. 몇 초 정도 걸립니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Creating the vault</source>
        <translation>보관함 만들기</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Try again</source>
        <translation>다시 시도(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try again</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Creating the encrypted vault…</source>
        <translation>암호화된 보관함을 만드는 중…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Adding fictional people to the demo vault…</source>
        <translation>체험용 보관함에 가상의 인물을 추가하는 중…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Opening the new vault…</source>
        <translation>새 보관함을 여는 중…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Done.</source>
        <translation>완료되었습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your demo vault is ready. Everything in it is fictional. Press Finish to open it.</source>
        <translation>체험용 보관함이 준비되었습니다. 안의 내용은 모두 가상입니다. 열려면 마침을 누르세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your vault is ready.</source>
        <translation>보관함이 준비되었습니다.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>[vault folder]</source>
        <translation>[보관함 폴더]</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <location filename="../../src/safecase/ui/editors/fields.py" line="+77"/>
        <source>YYYY, YYYY-MM or YYYY-MM-DD (~ if approximate)</source>
        <translation>YYYY, YYYY-MM 또는 YYYY-MM-DD (대략적이면 ~)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>year</source>
        <translation>연</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>month</source>
        <translation>월</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>day</source>
        <translation>일</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>precise to the %1</source>
        <translation>%1 단위</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, approximate</source>
        <translation>, 대략</translation>
    </message>
</context>
<context>
    <name>DetailsPage</name>
    <message>
        <location filename="../../src/safecase/ui/first_run_pages.py" line="+158"/>
        <source>Your vault</source>
        <translation>내 보관함</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Create vault</source>
        <translation>보관함 만들기(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your name (optional)</source>
        <translation>이름 (선택)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Organisation (optional)</source>
        <translation>소속 단체 (선택)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passphrase</source>
        <translation>암호 문구</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat the passphrase</source>
        <translation>암호 문구 다시 입력</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Passphrase strength</source>
        <translation>암호 문구 강도</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your &amp;name:</source>
        <translation>이름(&amp;N):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Organisation:</source>
        <translation>소속 단체(&amp;O):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Passphrase:</source>
        <translation>암호 문구(&amp;P):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Strength:</source>
        <translation>강도:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Repeat:</source>
        <translation>다시 입력(&amp;R):</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The demo vault is a real encrypted vault, so it needs a passphrase too.</source>
        <translation>체험용 보관함도 실제로 암호화되므로 암호 문구가 필요합니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a passphrase of several unrelated words. Nobody can reset it for you, so remember it.</source>
        <translation>서로 관계없는 여러 단어로 암호 문구를 정하세요. 누구도 대신 재설정해 줄 수 없으니 꼭 기억하세요.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The two passphrases are not the same.</source>
        <translation>두 암호 문구가 일치하지 않습니다.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Several unrelated words make a strong passphrase that you can remember.</source>
        <translation>서로 관계없는 여러 단어를 쓰면 기억하기 쉬우면서도 강력한 암호 문구가 됩니다.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{verdict}. {hint}</source>
        <translation>{verdict}. {hint}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Very weak</source>
        <translation>매우 약함</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Weak</source>
        <translation>약함</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fair</source>
        <translation>보통</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Strong</source>
        <translation>강함</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Very strong</source>
        <translation>매우 강함</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Make it longer: a few unrelated words are easier to remember than symbols.</source>
        <translation>더 길게 만드세요. 기호보다 서로 관계없는 단어 몇 개가 기억하기 쉽습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add another word or two that have nothing to do with each other.</source>
        <translation>서로 관계없는 단어를 한두 개 더 추가하세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avoid repeated letters and words.</source>
        <translation>같은 글자나 단어를 반복하지 마세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avoid sequences such as abcd, 1234 or qwerty.</source>
        <translation>abcd, 1234, qwerty 같은 연속된 문자는 피하세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It is or contains one of the most common passwords, which attackers try first.</source>
        <translation>공격자가 가장 먼저 시도하는 흔한 비밀번호이거나 그것을 포함하고 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hard to guess. Make sure you will remember it.</source>
        <translation>추측하기 어렵습니다. 잊지 않도록 하세요.</translation>
    </message>
</context>
<context>
    <name>ErrorLabel</name>
    <message>
        <location filename="../../src/safecase/ui/editors/form.py" line="+53"/>
        <source>Error</source>
        <translation>오류</translation>
    </message>
</context>
<context>
    <name>EventEditor</name>
    <message>
        <location filename="../../src/safecase/ui/editors/event.py" line="+60"/>
        <source>Route</source>
        <translation>이동 경로</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>then</source>
        <translation>그다음</translation>
    </message>
</context>
<context>
    <name>Evidence</name>
    <message>
        <location filename="../../src/safecase/ui/evidence/export_dialog.py" line="+43"/>
        <source>Exported an unencrypted copy to %1 (%2).</source>
        <translation>암호화되지 않은 사본을 %1에 내보냈습니다 (%2).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Metadata removed: %1.</source>
        <translation>제거된 메타데이터: %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The image had no metadata to remove.</source>
        <translation>이 이미지에는 제거할 메타데이터가 없었습니다.</translation>
    </message>
    <message>
        <location filename="../../src/safecase/ui/evidence/file_dialogs.py" line="+40"/>
        <source>Add evidence files</source>
        <translation>증거 파일 추가</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export evidence file to</source>
        <translation>증거 파일 내보낼 위치</translation>
    </message>
    <message>
        <location filename="../../src/safecase/ui/evidence/model.py" line="+49"/>
        <source>%1 bytes</source>
        <translation>%1바이트</translation>
    </message>
</context>
<context>
    <name>EvidenceModel</name>
    <message>
        <location line="+95"/>
        <source>Type</source>
        <translation>형식</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File name</source>
        <translation>파일 이름</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256</source>
        <translation>SHA-256 해시</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Taken in</source>
        <translation>반입 시각</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy</source>
        <translation>사본 구분</translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message>
        <location filename="../../src/safecase/ui/evidence/panel.py" line="+70"/>
        <source>Evidence files</source>
        <translation>증거 파일</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add evidence…</source>
        <translation>증거 추가…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add evidence files to this record</source>
        <translation>이 기록에 증거 파일 추가</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview</source>
        <translation>미리 보기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export an unencrypted copy</source>
        <translation>암호화되지 않은 사본 내보내기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify</source>
        <translation>검증</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the file against its intake SHA-256</source>
        <translation>반입 당시 SHA-256 해시와 파일을 대조합니다</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Evidence messages</source>
        <translation>증거 파일 알림</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Evidence files of this record</source>
        <translation>이 기록의 증거 파일</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Drop files here or press “Add evidence…”. They are kept encrypted in the vault.</source>
        <translation>파일을 여기에 끌어다 놓거나 “증거 추가…”를 누르십시오. 파일은 금고에 암호화되어 보관됩니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+62"/>
        <source>Save the record to add evidence.</source>
        <translation>증거를 추가하려면 먼저 기록을 저장하십시오.</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Only files on this computer can be added. Save the file first, then add it.</source>
        <translation>이 컴퓨터에 있는 파일만 추가할 수 있습니다. 먼저 파일을 저장한 뒤 추가하십시오.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Folders cannot be added as evidence: %1. Add the files inside them.</source>
        <translation>폴더는 증거로 추가할 수 없습니다: %1. 폴더 안의 파일을 추가하십시오.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Adding files…</source>
        <translation>파일 추가 중…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Adding %1 (%2 of %3)…</source>
        <translation>%1 추가 중 (%3개 중 %2번째)…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Added %1.</source>
        <translation>%1을(를) 추가했습니다.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cancelled; the file being added was not kept.</source>
        <translation>취소했습니다. 추가 중이던 파일은 보관되지 않았습니다.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Exporting %1…</source>
        <translation>%1 내보내는 중…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Verifying %1…</source>
        <translation>%1 검증 중…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 is intact: it matches the SHA-256 taken at intake,
%2</source>
        <translation>%1은(는) 손상되지 않았습니다. 반입 당시 SHA-256 해시와 일치합니다.
%2</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../src/safecase/ui/evidence/export_dialog.py" line="+10"/>
        <source>Export evidence file</source>
        <translation>증거 파일 내보내기</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The exported copy is NOT encrypted. Anyone who can open the folder you choose can read it. Export only to an encrypted disk or a place you trust, and delete the copy when it is no longer needed.</source>
        <translation>내보낸 사본은 암호화되지 않습니다. 선택한 폴더를 열 수 있는 사람은 누구나 읽을 수 있습니다. 암호화된 디스크나 신뢰할 수 있는 곳으로만 내보내고, 더 이상 필요하지 않으면 사본을 삭제하십시오.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Remove metadata (EXIF, GPS)</source>
        <translation>메타데이터 제거 (EXIF, GPS)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Only JPEG and PNG images can be cleaned; this file is copied as stored.</source>
        <translation>JPEG와 PNG 이미지만 정리할 수 있습니다. 이 파일은 보관된 그대로 복사됩니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Where to save the copy</source>
        <translation>사본을 저장할 위치</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose where to save the copy…</source>
        <translation>사본을 저장할 위치 선택…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../src/safecase/ui/first_run_wizard.py" line="+45"/>
        <source>SafeCase</source>
        <translation>SafeCase</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../src/safecase/ui/editors/history_dialog.py" line="+37"/>
        <source>History</source>
        <translation>변경 이력</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Versions</source>
        <translation>버전 목록</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <source>Restore this version</source>
        <translation>이 버전으로 복원</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>%1 · device %2</source>
        <translation>%1 · 기기 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (current)</source>
        <translation> (현재)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (deleted)</source>
        <translation> (삭제됨)</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../src/safecase/ui/evidence/viewers.py" line="+40"/>
        <source>Picture</source>
        <translation>사진</translation>
    </message>
</context>
<context>
    <name>ImportAction</name>
    <message>
        <location filename="../../src/safecase/ui/import_action.py" line="+37"/>
        <source>Import records</source>
        <translation>기록 가져오기</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Records (*.json *.jsonl *.csv)</source>
        <translation>기록 (*.json *.jsonl *.csv)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Checking the records…</source>
        <translation>기록을 확인하는 중…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+21"/>
        <location line="+6"/>
        <source>Import</source>
        <translation>가져오기</translation>
    </message>
    <message numerus="yes">
        <location line="-6"/>
        <source>Imported %n record(s).</source>
        <translation>
            <numerusform>기록 %n건을 가져왔습니다.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LeftOutText</name>
    <message>
        <location filename="../../src/safecase/ui/reports/left_out_text.py" line="+29"/>
        <source>no consent recorded</source>
        <translation>동의 기록 없음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>their consent does not cover this report</source>
        <translation>본인 동의가 이 보고서를 포함하지 않음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>consent withdrawn on %1</source>
        <translation>%1에 동의 철회됨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>consent withdrawn</source>
        <translation>동의 철회됨</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name of %1</source>
        <translation>%1의 이름</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact details of %1</source>
        <translation>%1의 연락처</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interviewer, interpreter and place of an interview</source>
        <translation>면담자, 통역자, 면담 장소</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exact date of an event</source>
        <translation>사건의 정확한 날짜</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exact end date of an event</source>
        <translation>사건의 정확한 종료 날짜</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exact date of a testimony</source>
        <translation>증언의 정확한 날짜</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exact place of an event</source>
        <translation>사건의 정확한 장소</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Words marked by hand in “%1”</source>
        <translation>“%1”에서 직접 표시한 부분</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Names, contact details, dates or places written in “%1”</source>
        <translation>“%1”에 적힌 이름, 연락처, 날짜 또는 장소</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>marked by hand: %1</source>
        <translation>직접 표시함: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>marked by hand</source>
        <translation>직접 표시함</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>never in a report</source>
        <translation>보고서에 절대 싣지 않음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>shown to the year</source>
        <translation>연도까지만 표시</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>shown to the month</source>
        <translation>월까지만 표시</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>shown as the region</source>
        <translation>지역까지만 표시</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>policy: %1</source>
        <translation>정책: %1</translation>
    </message>
</context>
<context>
    <name>ListField</name>
    <message>
        <location filename="../../src/safecase/ui/editors/form.py" line="+162"/>
        <source>Add</source>
        <translation>추가</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add an item</source>
        <translation>항목 추가</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Item %1</source>
        <translation>%1번 항목</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove this item</source>
        <translation>이 항목 삭제</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Item %1: </source>
        <translation>%1번 항목: </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/safecase/ui/main_window.py" line="+149"/>
        <source>New</source>
        <translation>새로 만들기</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Create a record of the kind shown</source>
        <translation>표시된 종류의 기록 새로 만들기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search</source>
        <translation>검색</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Search everything (Ctrl+K)</source>
        <translation>전체 검색 (Ctrl+K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import…</source>
        <translation>가져오기…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Import records from a JSON or CSV file</source>
        <translation>JSON 또는 CSV 파일에서 기록 가져오기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock</source>
        <translation>잠금</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Lock the vault (Ctrl+L)</source>
        <translation>보관함 잠금 (Ctrl+L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide &amp;&amp; lock</source>
        <translation>숨기고 잠금</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hide every window and lock at once (Ctrl+Shift+H)</source>
        <translation>모든 창을 숨기고 즉시 잠금 (Ctrl+Shift+H)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Auto-lock and other preferences</source>
        <translation>자동 잠금 및 기타 설정</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Record kinds</source>
        <translation>기록 종류</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record list</source>
        <translation>기록 목록</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record editor</source>
        <translation>기록 편집기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a record in the list, or press New.</source>
        <translation>목록에서 기록을 선택하거나 새로 만들기를 누르세요.</translation>
    </message>
</context>
<context>
    <name>MediaViewer</name>
    <message>
        <location filename="../../src/safecase/ui/evidence/media_viewer.py" line="+38"/>
        <source>Video</source>
        <translation>동영상</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+53"/>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Playback position</source>
        <translation>재생 위치</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This recording cannot be played here; export it to open it in another program.</source>
        <translation>이 녹음은 여기에서 재생할 수 없습니다. 내보낸 뒤 다른 프로그램에서 여십시오.</translation>
    </message>
</context>
<context>
    <name>NoPreview</name>
    <message>
        <location filename="../../src/safecase/ui/evidence/viewers.py" line="+77"/>
        <source>No preview for this type; export it to open it in another program.</source>
        <translation>이 형식은 미리 볼 수 없습니다. 내보낸 뒤 다른 프로그램에서 여십시오.</translation>
    </message>
</context>
<context>
    <name>PdfViewer</name>
    <message>
        <location line="-38"/>
        <source>PDF pages</source>
        <translation>PDF 페이지</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>This PDF is protected by a password; export it to open it in another program.</source>
        <translation>이 PDF는 비밀번호로 보호되어 있습니다. 내보낸 뒤 다른 프로그램에서 여십시오.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This PDF could not be read; export it to open it in another program.</source>
        <translation>이 PDF를 읽을 수 없습니다. 내보낸 뒤 다른 프로그램에서 여십시오.</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <location filename="../../src/safecase/ui/evidence/preview.py" line="+62"/>
        <source>Evidence preview</source>
        <translation>증거 미리 보기</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Decrypting…</source>
        <translation>복호화 중…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preview status</source>
        <translation>미리 보기 상태</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <location filename="../../src/safecase/ui/reports/report_wizard.py" line="+35"/>
        <source>The report, exactly as it will be signed</source>
        <translation>서명될 보고서 그대로</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Report preview</source>
        <translation>보고서 미리보기</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What the report leaves out, and why</source>
        <translation>보고서에서 빠진 내용과 그 이유</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Making the report…</source>
        <translation>보고서를 만드는 중…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 pages. %2 item(s) left out, %3 person(s) shown only by pseudonym (listed on the right).</source>
        <translation>%1쪽. 빠진 항목 %2개, 가명으로만 표시된 사람 %3명 (오른쪽 목록).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The report could not be made: %1</source>
        <translation>보고서를 만들 수 없습니다: %1</translation>
    </message>
</context>
<context>
    <name>ReceiveDialog</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/receive_dialog.py" line="+40"/>
        <source>Receive a bundle</source>
        <translation>번들 받기</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checking the whole bundle…</source>
        <translation>번들 전체를 검사하는 중…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import anyway; mark everything it brings as from an unverified source</source>
        <translation>그래도 가져오기 — 가져온 모든 것을 확인되지 않은 출처로 표시</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import</source>
        <translation>가져오기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolve conflicts…</source>
        <translation>충돌 해결…</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Importing…</source>
        <translation>가져오는 중…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This bundle was refused; nothing changed.</source>
        <translation>이 번들은 거부되었습니다. 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>verified contact</source>
        <translation>확인된 연락처</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contact whose fingerprint you have not verified</source>
        <translation>지문을 확인하지 않은 연락처</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>REMOVED contact: this bundle will be refused</source>
        <translation>삭제된 연락처: 이 번들은 거부됩니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NOT one of your contacts</source>
        <translation>내 연락처가 아님</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>From: %1 (%2)</source>
        <translation>보낸 사람: %1 (%2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fingerprint: %1</source>
        <translation>지문: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Made: %1, bundle number %2</source>
        <translation>만든 시각: %1, 번들 번호 %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Holds %1 records (%2 persons, %3 contact details) and %4 evidence files (%5).</source>
        <translation>기록 %1건 (인물 %2명, 연락처 정보 %3건)과 증거 파일 %4개 (%5)가 들어 있습니다.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>It is NOT addressed to this vault (it was forwarded): it cannot be imported.</source>
        <translation>이 보관함 앞으로 보낸 번들이 아닙니다 (전달된 것입니다). 가져올 수 없습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You imported it before, at %1; importing again changes nothing.</source>
        <translation>%1에 이미 가져왔습니다. 다시 가져와도 바뀌는 것은 없습니다.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Already imported; nothing changed.</source>
        <translation>이미 가져왔습니다. 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Imported: %1 new records, %2 updated, %3 unchanged; %4 evidence files.</source>
        <translation>가져옴: 새 기록 %1건, 갱신 %2건, 변화 없음 %3건, 증거 파일 %4개.</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n record(s) now in conflict: both versions are kept until you choose.</source>
        <translation>
            <numerusform>기록 %n건이 충돌 상태입니다. 선택할 때까지 두 버전 모두 보관됩니다.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What it brought is marked as from an unverified source.</source>
        <translation>가져온 내용은 확인되지 않은 출처로 표시됩니다.</translation>
    </message>
</context>
<context>
    <name>RecipientsPage</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/send_wizard.py" line="-41"/>
        <source>Who receives it</source>
        <translation>받는 사람</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only the people you tick can open the bundle.</source>
        <translation>선택한 사람만 번들을 열 수 있습니다.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>(fingerprint not verified)</source>
        <translation>(지문 확인 안 됨)</translation>
    </message>
</context>
<context>
    <name>RecordEditor</name>
    <message>
        <location filename="../../src/safecase/ui/editors/base.py" line="+100"/>
        <source>Save status</source>
        <translation>저장 상태</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History…</source>
        <translation>변경 이력…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show earlier versions</source>
        <translation>이전 버전 보기</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Discard draft</source>
        <translation>임시 저장본 버리기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard the unsaved draft</source>
        <translation>저장하지 않은 임시 저장본 버리기</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>Restored changes not saved yet (draft of %1).</source>
        <translation>복원된 변경 사항이 아직 저장되지 않았습니다 (%1의 임시 저장본).</translation>
    </message>
    <message numerus="yes">
        <location line="+31"/>
        <source>Parts of this record came in a bundle from someone whose fingerprint you have not verified (%n version(s)): check it before you rely on it.</source>
        <translation>
            <numerusform>이 기록의 일부(%n개 버전)는 지문을 확인하지 않은 사람이 보낸 번들에서 왔습니다. 믿기 전에 확인하세요.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This record was changed on two laptops at once. Both versions are kept: choose one in Team → Conflicts.</source>
        <translation>이 기록은 두 노트북에서 동시에 수정되었습니다. 두 버전 모두 보관되어 있습니다. 팀 → 충돌에서 하나를 고르세요.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>New %1</source>
        <translation>새 %1</translation>
    </message>
</context>
<context>
    <name>RecordListPane</name>
    <message>
        <location filename="../../src/safecase/ui/list_pane.py" line="+39"/>
        <source>Filter the list</source>
        <translation>목록 필터</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New record</source>
        <translation>새 기록</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Filter (words from names, places, text)…</source>
        <translation>필터 (이름, 장소, 본문 속 단어)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New</source>
        <translation>새로 만들기(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records</source>
        <translation>기록</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n record(s)</source>
        <translation>
            <numerusform>기록 %n건</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecorderWidget</name>
    <message>
        <location filename="../../src/safecase/ui/evidence/recorder_widget.py" line="+113"/>
        <source>&amp;Record</source>
        <translation>녹음(&amp;R)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record</source>
        <translation>녹음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Pause</source>
        <translation>일시 정지(&amp;P)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Res&amp;ume</source>
        <translation>계속(&amp;U)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resume</source>
        <translation>계속</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stop</source>
        <translation>중지(&amp;S)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop and save</source>
        <translation>중지하고 저장</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Input level</source>
        <translation>입력 음량</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recorded time</source>
        <translation>녹음 시간</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recording status</source>
        <translation>녹음 상태</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Record the interview into this testimony (encrypted as it goes)</source>
        <translation>면담을 이 증언에 녹음합니다 (녹음과 동시에 암호화)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No microphone found. Connect one and reopen this testimony.</source>
        <translation>마이크를 찾을 수 없습니다. 마이크를 연결한 뒤 이 증언을 다시 여십시오.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The microphone cannot record 16-bit audio. Choose another input in the system settings.</source>
        <translation>이 마이크는 16비트 오디오를 녹음할 수 없습니다. 시스템 설정에서 다른 입력 장치를 선택하십시오.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The vault stayed busy, so recording stopped after three minutes; they will be saved.</source>
        <translation>금고가 계속 사용 중이어서 3분 후 녹음이 중지되었습니다. 녹음된 3분은 저장됩니다.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The microphone stopped working; what was recorded is being saved.</source>
        <translation>마이크가 작동을 멈췄습니다. 지금까지 녹음된 내용을 저장하고 있습니다.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The microphone could not be started.</source>
        <translation>마이크를 시작할 수 없습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <location line="+54"/>
        <location line="+27"/>
        <source>Recording…</source>
        <translation>녹음 중…</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Could not start recording: %1</source>
        <translation>녹음을 시작할 수 없습니다: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Paused</source>
        <translation>일시 정지됨</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The recording reached the longest one file can hold and was saved; record again.</source>
        <translation>녹음이 한 파일에 담을 수 있는 최대 길이에 도달하여 저장되었습니다. 다시 녹음하십시오.</translation>
    </message>
    <message>
        <location line="-65"/>
        <location line="+75"/>
        <source>Saving the recording…</source>
        <translation>녹음 저장 중…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Nothing was recorded.</source>
        <translation>녹음된 내용이 없습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saved as evidence on this testimony.</source>
        <translation>이 증언의 증거로 저장되었습니다.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The recording could not be saved now; it is kept and will be recovered after the next unlock.</source>
        <translation>지금은 녹음을 저장할 수 없습니다. 녹음은 보존되며 다음에 잠금을 해제할 때 복구됩니다.</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPage</name>
    <message>
        <location filename="../../src/safecase/ui/first_run_key_pages.py" line="-129"/>
        <source>Your recovery key</source>
        <translation>복구 키</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>If you forget your passphrase, this key is the only way back into your vault. It is shown only now.</source>
        <translation>암호 문구를 잊어버리면 이 키가 보관함을 여는 유일한 방법입니다. 키는 지금 한 번만 표시됩니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>I have &amp;written it down on paper</source>
        <translation>종이에 적어 두었습니다(&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have written it down on paper</source>
        <translation>종이에 적어 두었습니다</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Write it on paper and check every group. Keep the paper somewhere safe, away from this computer. Do not photograph it or save it in a file.</source>
        <translation>종이에 적고 모든 묶음을 확인하세요. 종이는 이 컴퓨터와 떨어진 안전한 곳에 보관하세요. 사진을 찍거나 파일로 저장하지 마세요.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Group {number}</source>
        <translation>{number}번째 묶음</translation>
    </message>
</context>
<context>
    <name>RefPicker</name>
    <message>
        <location filename="../../src/safecase/ui/editors/ref_picker.py" line="+55"/>
        <source>Type to search…</source>
        <translation>입력하여 검색…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the linked record</source>
        <translation>연결된 기록 열기</translation>
    </message>
</context>
<context>
    <name>ReportAction</name>
    <message>
        <location filename="../../src/safecase/ui/reports/report_action.py" line="+37"/>
        <source>Report…</source>
        <translation>보고서…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A signed, redacted report for a Special Rapporteur</source>
        <translation>특별보고관에게 보낼 서명된 비공개 처리 보고서</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Statistics</source>
        <translation>통계</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Charts over the whole vault, and detainees per centre</source>
        <translation>보관함 전체의 도표와 시설별 구금 인원</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Save the signed report</source>
        <translation>서명된 보고서 저장</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Signing the report…</source>
        <translation>보고서에 서명하는 중…</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+4"/>
        <source>Report</source>
        <translation>보고서</translation>
    </message>
</context>
<context>
    <name>ReportRedactionMarker</name>
    <message numerus="yes">
        <location filename="../../src/safecase/ui/editors/report_redaction.py" line="+114"/>
        <source>%n marked passage(s) no longer fit the edited text: right-click to remove.</source>
        <translation>
            <numerusform>표시한 부분 %n곳이 수정된 글과 더 이상 맞지 않습니다. 오른쪽 클릭으로 지우세요.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Left out of every report</source>
        <translation>모든 보고서에서 제외됨</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Redact for reports…</source>
        <translation>보고서에서 가리기…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Redact for reports… (once the text on screen is saved)</source>
        <translation>보고서에서 가리기… (화면의 글이 저장된 뒤에)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stop redacting “%1”</source>
        <translation>“%1” 가림 해제</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Remove a redaction that no longer fits (no. %1)</source>
        <translation>더 이상 맞지 않는 가림 지우기 (%1번)</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Redact for reports</source>
        <translation>보고서에서 가리기</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The selected words will be left out of every report. The record itself is not changed.</source>
        <translation>선택한 부분은 모든 보고서에서 빠집니다. 기록 자체는 바뀌지 않습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Why (optional, shown to whoever makes a report):</source>
        <translation>이유 (선택, 보고서를 만드는 사람에게 보임):</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Marked: left out of every report.</source>
        <translation>표시함: 모든 보고서에서 제외됩니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No longer redacted for reports.</source>
        <translation>이제 보고서에서 가리지 않습니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not marked: %1</source>
        <translation>표시하지 못함: %1</translation>
    </message>
</context>
<context>
    <name>ReportWizard</name>
    <message>
        <location filename="../../src/safecase/ui/reports/report_wizard.py" line="+34"/>
        <source>Report for a Special Rapporteur</source>
        <translation>특별보고관 보고서</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sign and save…</source>
        <translation>서명하고 저장…</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/send_wizard.py" line="+56"/>
        <source>What will leave this laptop</source>
        <translation>이 노트북 밖으로 나갈 내용</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Counting…</source>
        <translation>세는 중…</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>I understand that the contact details (%n) of people will leave this laptop.</source>
        <translation>
            <numerusform>사람들의 연락처 정보 (%n건)가 이 노트북 밖으로 나간다는 것을 이해합니다.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>To: %1</source>
        <translation>받는 사람: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n record(s) with their whole history:</source>
        <translation>
            <numerusform>기록 %n건 (전체 이력 포함):</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  cases: %1</source>
        <translation>  사례: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  persons: %1</source>
        <translation>  인물: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  testimonies: %1</source>
        <translation>  증언: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  consents: %1</source>
        <translation>  동의: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  events: %1</source>
        <translation>  사건: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  locations: %1</source>
        <translation>  장소: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  contact details: %1</source>
        <translation>  연락처 정보: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  evidence files: %1 (%2)</source>
        <translation>  증거 파일: %1 (%2)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing to send with these choices.</source>
        <translation>이 선택으로는 보낼 것이 없습니다.</translation>
    </message>
</context>
<context>
    <name>SafeCaseApp</name>
    <message numerus="yes">
        <location filename="../../src/safecase/ui/app.py" line="+179"/>
        <source>Recovered %n interrupted recording(s).</source>
        <translation>
            <numerusform>중단된 녹음 %n건을 복구했습니다.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recovered recordings</source>
        <translation>복구된 녹음</translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <location filename="../../src/safecase/ui/search_dialog.py" line="+44"/>
        <location line="+1"/>
        <source>Search everywhere</source>
        <translation>전체 검색</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search query</source>
        <translation>검색어</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search people, testimonies, events and more…</source>
        <translation>인물, 증언, 사건 등 검색…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Search results</source>
        <translation>검색 결과</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Search status</source>
        <translation>검색 상태</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>The search text is too long: at most {limit} characters.</source>
        <translation>검색어가 너무 깁니다. 최대 {limit}자까지 입력할 수 있습니다.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Searching…</source>
        <translation>검색 중…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>No results</source>
        <translation>결과 없음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 result</source>
        <translation>결과 1건</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The best {count} results; add words to narrow the search.</source>
        <translation>가장 관련성 높은 결과 {count}건입니다. 단어를 추가하여 범위를 좁히세요.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} results</source>
        <translation>결과 {count}건</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <location filename="../../src/safecase/ui/search_model.py" line="+169"/>
        <source>{kind} ({count})</source>
        <translation>{kind} ({count})</translation>
    </message>
</context>
<context>
    <name>SecretTextField</name>
    <message>
        <location filename="../../src/safecase/ui/editors/contact.py" line="+33"/>
        <location line="+33"/>
        <source>Reveal</source>
        <translation>보기</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Reveal or hide the contact details</source>
        <translation>연락처 보기 또는 숨기기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the contact details for a short time</source>
        <translation>연락처를 잠시 동안만 복사</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Hide</source>
        <translation>숨기기</translation>
    </message>
</context>
<context>
    <name>SendWizard</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/send_wizard.py" line="+18"/>
        <source>Send a bundle</source>
        <translation>번들 보내기</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save bundle…</source>
        <translation>번들 저장…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../src/safecase/ui/settings_dialog.py" line="+40"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> min</source>
        <translation>분</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock after idle minutes</source>
        <translation>잠금까지의 미사용 시간(분)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+25"/>
        <source>New passphrase</source>
        <translation>새 암호 문구</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Repeat the new passphrase</source>
        <translation>새 암호 문구 다시 입력</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change passphrase</source>
        <translation>암호 문구 변경</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+32"/>
        <source>Current passphrase</source>
        <translation>현재 암호 문구</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Replace the master key</source>
        <translation>마스터 키 교체</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Auto-lock</source>
        <translation>자동 잠금</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock after being idle for</source>
        <translation>잠금까지의 미사용 시간</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passphrase</source>
        <translation>암호 문구</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Repeat it</source>
        <translation>다시 입력</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Master key</source>
        <translation>마스터 키</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Re-encrypts the whole vault with a new key. Takes a while; keep the laptop on power.</source>
        <translation>새 키로 보관함 전체를 다시 암호화합니다. 시간이 걸리니 노트북을 전원에 연결해 두세요.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The two new passphrases differ; nothing was changed.</source>
        <translation>두 새 암호 문구가 일치하지 않아 아무것도 변경되지 않았습니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The passphrase was changed. Use the new one from now on.</source>
        <translation>암호 문구가 변경되었습니다. 이제부터 새 암호 문구를 사용하세요.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The vault is re-encrypted with a new master key.</source>
        <translation>새 마스터 키로 보관함을 다시 암호화했습니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Working… please wait.</source>
        <translation>처리 중입니다… 잠시 기다려 주세요.</translation>
    </message>
</context>
<context>
    <name>StatisticsDialog</name>
    <message>
        <location filename="../../src/safecase/ui/reports/statistics_view.py" line="+82"/>
        <source>Statistics</source>
        <translation>통계</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Counting…</source>
        <translation>세는 중…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cases to count over</source>
        <translation>집계할 사례</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Detainees by month (not by year)</source>
        <translation>구금 인원을 월별로 (연도별 대신)</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+6"/>
        <source>Estimated detainees per detention centre</source>
        <translation>구금시설별 추정 구금 인원</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Count over these cases (none ticked: the whole vault)</source>
        <translation>이 사례들로 집계 (선택 없음: 보관함 전체)</translation>
    </message>
    <message numerus="yes">
        <location line="+46"/>
        <source>Counted over the %n case(s) ticked.</source>
        <translation>
            <numerusform>선택한 사례 %n건으로 집계했습니다.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Counted over every record in this vault.</source>
        <translation>이 보관함의 모든 기록으로 셌습니다.</translation>
    </message>
</context>
<context>
    <name>SyncAction</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/sync_action.py" line="+31"/>
        <source>Sent to %1: %2 records.</source>
        <translation>%1에게 보냄: 기록 %2건.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing new for %1.</source>
        <translation>%1에게 보낼 새 내용 없음.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Received from %1: %2 new, %3 updated, %4 conflicts.</source>
        <translation>%1에게서 받음: 새 기록 %2건, 갱신 %3건, 충돌 %4건.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 bundle(s) in the inbox were imported before.</source>
        <translation>받은편지함의 번들 %1개는 이미 가져온 것입니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 bundle(s) in the inbox are for someone else.</source>
        <translation>받은편지함의 번들 %1개는 다른 사람 앞으로 온 것입니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refused %1: %2</source>
        <translation>거부됨 %1: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing to send and nothing received.</source>
        <translation>보낼 것도 받은 것도 없습니다.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Sync with a folder (USB stick or shared folder)</source>
        <translation>폴더와 동기화 (USB 메모리 또는 공유 폴더)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Syncing…</source>
        <translation>동기화하는 중…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+6"/>
        <source>Sync</source>
        <translation>동기화</translation>
    </message>
</context>
<context>
    <name>TeamActions</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/team_actions.py" line="+59"/>
        <source>Team</source>
        <translation>팀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contacts, bundles and conflicts</source>
        <translation>연락처, 번들, 충돌</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contacts…</source>
        <translation>연락처…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send a bundle…</source>
        <translation>번들 보내기…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receive a bundle…</source>
        <translation>번들 받기…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync with a folder…</source>
        <translation>폴더와 동기화…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conflicts (%1)…</source>
        <translation>충돌 (%1)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conflicts…</source>
        <translation>충돌…</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Receive a bundle</source>
        <translation>번들 받기</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Save the bundle</source>
        <translation>번들 저장</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Writing the bundle…</source>
        <translation>번들을 쓰는 중…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Bundle saved to %1.
%2 records, %3 evidence files. Only %4 can open it.</source>
        <translation>번들을 %1에 저장했습니다.
기록 %2건, 증거 파일 %3개. %4만 열 수 있습니다.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+5"/>
        <source>Send a bundle</source>
        <translation>번들 보내기</translation>
    </message>
</context>
<context>
    <name>TestimonyEditor</name>
    <message>
        <location filename="../../src/safecase/ui/editors/testimony.py" line="+154"/>
        <source>Record consent</source>
        <translation>동의 기록</translation>
    </message>
</context>
<context>
    <name>TextViewer</name>
    <message>
        <location filename="../../src/safecase/ui/evidence/viewers.py" line="+14"/>
        <source>Text of the file</source>
        <translation>파일 내용</translation>
    </message>
</context>
<context>
    <name>UnlockWindow</name>
    <message>
        <location filename="../../src/safecase/ui/unlock_window.py" line="+59"/>
        <location line="+10"/>
        <source>SafeCase</source>
        <translation>SafeCase</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Passphrase</source>
        <translation>암호 문구</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Recovery key</source>
        <translation>복구 키</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Passphrase:</source>
        <translation>암호 문구(&amp;P):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Recovery key:</source>
        <translation>복구 키(&amp;R):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Message</source>
        <translation>메시지</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unlocking</source>
        <translation>잠금 해제 중</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Unlock</source>
        <translation>잠금 해제(&amp;U)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unlock</source>
        <translation>잠금 해제</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Type the recovery key you wrote down when the vault was created.</source>
        <translation>보관함을 만들 때 적어 둔 복구 키를 입력하세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use a &amp;passphrase instead</source>
        <translation>암호 문구 사용(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use a passphrase instead</source>
        <translation>암호 문구 사용</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type your passphrase to unlock the vault.</source>
        <translation>보관함 잠금을 해제하려면 암호 문구를 입력하세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use &amp;recovery key…</source>
        <translation>복구 키 사용(&amp;R)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use recovery key</source>
        <translation>복구 키 사용</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Type your passphrase.</source>
        <translation>암호 문구를 입력하세요.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Wrong recovery key.</source>
        <translation>복구 키가 틀렸습니다.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Wrong passphrase.</source>
        <translation>암호 문구가 틀렸습니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>[vault folder]</source>
        <translation>[보관함 폴더]</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Before trying anything else, keep a copy of the whole vault folder.</source>
        <translation>다른 조치를 하기 전에 보관함 폴더 전체를 복사해 두세요.</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/verify_dialog.py" line="+19"/>
        <source>Verify %1</source>
        <translation>%1 확인</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ask %1 to open Team contacts in their SafeCase and read their fingerprint aloud, or show it to you. Confirm only if every digit matches:</source>
        <translation>%1 님에게 SafeCase의 팀 연락처를 열고 지문을 소리 내어 읽어 주거나 보여 달라고 하세요. 모든 숫자가 일치할 때만 확인하세요:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 uses only the age tool. Ask them to read out their age recipient (`age-keygen -y KEYFILE`) or send it over a second channel, and confirm only if it matches exactly:</source>
        <translation>%1 님은 age 도구만 사용합니다. age 수신자(`age-keygen -y KEYFILE`)를 읽어 주거나 다른 경로로 보내 달라고 하고, 정확히 일치할 때만 확인하세요:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Expected fingerprint</source>
        <translation>예상 지문</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every digit matches</source>
        <translation>모든 숫자가 일치함</translation>
    </message>
</context>
<context>
    <name>VersionPane</name>
    <message>
        <location filename="../../src/safecase/ui/exchange/conflicts_dialog.py" line="-70"/>
        <source>Written %1 on this laptop</source>
        <translation>%1에 이 노트북에서 작성</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Written %1 on another laptop (%2)</source>
        <translation>%1에 다른 노트북(%2)에서 작성</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(shown now)</source>
        <translation>(현재 표시됨)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(a deletion)</source>
        <translation>(삭제)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keep this version</source>
        <translation>이 버전 유지</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../src/safecase/ui/first_run_pages.py" line="-136"/>
        <source>Welcome to SafeCase</source>
        <translation>SafeCase에 오신 것을 환영합니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SafeCase keeps your case records encrypted on this computer. Nothing is sent anywhere.</source>
        <translation>SafeCase는 사례 기록을 이 컴퓨터에 암호화하여 보관합니다. 어떤 정보도 외부로 전송되지 않습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Create my vault</source>
        <translation>내 보관함 만들기(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create my vault</source>
        <translation>내 보관함 만들기</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Try a demo vault with fictional data</source>
        <translation>가상 자료로 체험용 보관함 사용해 보기(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try a demo vault with fictional data</source>
        <translation>가상 자료로 체험용 보관함 사용해 보기</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>For real work. You choose a passphrase and get a recovery key.</source>
        <translation>실제 업무용입니다. 암호 문구를 정하고 복구 키를 받습니다.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Made-up people in real places, to learn SafeCase. Do not add real cases.</source>
        <translation>실제 장소에 가상의 인물이 등장하는 SafeCase 연습용 자료입니다. 실제 사례를 입력하지 마세요.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Something is already at the vault&apos;s location, and SafeCase will not overwrite it.</source>
        <translation>보관함을 만들 위치에 이미 다른 항목이 있습니다. SafeCase는 이를 덮어쓰지 않습니다.</translation>
    </message>
</context>
<context>
    <name>WithdrawDialog</name>
    <message>
        <location filename="../../src/safecase/ui/editors/consent.py" line="-91"/>
        <source>Withdraw consent</source>
        <translation>동의 철회</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How the withdrawal was given</source>
        <translation>철회 의사를 밝힌 방법</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+8"/>
        <source>Withdrawn on</source>
        <translation>철회일</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>Recorded by</source>
        <translation>기록자</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Method</source>
        <translation>방법</translation>
    </message>
</context>
</TS>
