"""The one answer to an ID number registered outside the user's scope (volunteers.duplicates).

It says nothing of where the number is registered and points to the transfer request
(志愿者转移), which replaces registering the volunteer a second time.
"""

DUPLICATE_ELSEWHERE = (
    "该身份证号码不能在此登记；如该志愿者已迁入本社区，"
    "请在“志愿者转移”中提交转移申请，由街道审核后转入。"
)
