"""CloudFormation in and out: the one reader (:mod:`.reader`: decoding with line numbers, the SAM and
language-extension transforms, conditions), the one intrinsics module (:mod:`.intrinsics`) and the
writer (:mod:`.writer`).

Nothing is imported here, so ``import cloudwright.cfn.intrinsics`` stays cheap."""
