-- CreateIndex
CREATE INDEX "Activity_whenKind_idx" ON "Activity"("whenKind");

-- CreateIndex
CREATE INDEX "Output_whenStart_idx" ON "Output"("whenStart");

-- CreateIndex
CREATE INDEX "Output_whenKind_idx" ON "Output"("whenKind");

